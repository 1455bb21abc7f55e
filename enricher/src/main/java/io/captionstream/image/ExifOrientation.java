package io.captionstream.image;

import com.drew.imaging.jpeg.JpegMetadataReader;
import com.drew.imaging.png.PngMetadataReader;
import com.drew.imaging.webp.WebpMetadataReader;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import java.io.ByteArrayInputStream;
import java.io.InputStream;

/**
 * The EXIF orientation tag (0x0112 in IFD0) and the transpose Pillow's {@code ImageOps.exif_transpose} applies for
 * it: 2 mirror, 3 rotate 180°, 4 flip, 5 transpose, 6 rotate 90° clockwise, 7 transverse, 8 rotate 90°
 * counter-clockwise; 1, missing or unknown values leave the image as it is. Read from JPEG (APP1), PNG (eXIf) and
 * WebP (EXIF chunk) like Pillow; GIF and BMP carry none. A malformed EXIF block counts as "no orientation" (Pillow
 * would also decode the pixels).
 */
public enum ExifOrientation {
  NORMAL(1), MIRROR(2), ROTATE_180(3), FLIP(4), TRANSPOSE(5), ROTATE_CW(6), TRANSVERSE(7), ROTATE_CCW(8);

  private final int tag;

  ExifOrientation(int tag) {
    this.tag = tag;
  }

  public int tag() {
    return tag;
  }

  public static ExifOrientation fromTag(int tag) {
    for (ExifOrientation o : values()) {
      if (o.tag == tag) {
        return o;
      }
    }
    return NORMAL;
  }

  /** The orientation stored in {@code bytes} of the given ImageIO format name ("jpeg", "png", "webp", ...). */
  static ExifOrientation read(byte[] bytes, String format) {
    try (InputStream in = new ByteArrayInputStream(bytes)) {
      Metadata metadata = switch (format) {
        case "jpeg" -> JpegMetadataReader.readMetadata(in);
        case "png" -> PngMetadataReader.readMetadata(in);
        case "webp" -> WebpMetadataReader.readMetadata(in);
        default -> null;
      };
      if (metadata == null) {
        return NORMAL;
      }
      ExifIFD0Directory dir = metadata.getFirstDirectoryOfType(ExifIFD0Directory.class);
      if (dir == null || !dir.containsTag(ExifIFD0Directory.TAG_ORIENTATION)) {
        return NORMAL;
      }
      return fromTag(dir.getInt(ExifIFD0Directory.TAG_ORIENTATION));
    } catch (Exception | StackOverflowError e) {
      return NORMAL;
    }
  }

  /** Whether the output swaps width and height. */
  public boolean swapsAxes() {
    return tag >= 5;
  }

  /** The image as Pillow's {@code exif_transpose} would return it. */
  public RgbImage apply(RgbImage in) {
    if (this == NORMAL) {
      return in;
    }
    int w = in.width();
    int h = in.height();
    int ow = swapsAxes() ? h : w;
    int oh = swapsAxes() ? w : h;
    byte[] src = in.data();
    byte[] out = new byte[src.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int ox;
        int oy;
        switch (this) {
          case MIRROR -> { ox = w - 1 - x; oy = y; }
          case ROTATE_180 -> { ox = w - 1 - x; oy = h - 1 - y; }
          case FLIP -> { ox = x; oy = h - 1 - y; }
          case TRANSPOSE -> { ox = y; oy = x; }
          case ROTATE_CW -> { ox = h - 1 - y; oy = x; }
          case TRANSVERSE -> { ox = h - 1 - y; oy = w - 1 - x; }
          case ROTATE_CCW -> { ox = y; oy = w - 1 - x; }
          default -> throw new IllegalStateException();
        }
        int s = (y * w + x) * 3;
        int d = (oy * ow + ox) * 3;
        out[d] = src[s];
        out[d + 1] = src[s + 1];
        out[d + 2] = src[s + 2];
      }
    }
    return RgbImage.wrap(ow, oh, out);
  }
}
