package io.captionstream.image;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;

/**
 * A decode destination whose pixel array is the interleaved R, G, B array of the resulting {@link RgbImage}: the
 * codec writes the very samples it would write into its default 3-byte BGR image, only in RGB order, so no BGR raster
 * is allocated and nothing is copied. Offered only for JPEGs whose default image type is {@code TYPE_3BYTE_BGR}
 * (YCbCr or RGB, 3 channels) and that carry no ICC profile (APP2 {@code ICC_PROFILE}); everything else (gray, CMYK,
 * YCCK, ICC, odd headers) takes the generic {@link RasterConverter} path.
 */
final class RgbDestination {

  private static final ColorModel SRGB = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false,
      false, Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
  private static final byte[] ICC_PROFILE = {'I', 'C', 'C', '_', 'P', 'R', 'O', 'F', 'I', 'L', 'E', 0};

  private final byte[] rgb;
  private final int width;
  private final int height;
  private final BufferedImage image;

  private RgbDestination(int width, int height) {
    this.width = width;
    this.height = height;
    this.rgb = new byte[Math.multiplyExact(Math.multiplyExact(width, height), 3)];
    WritableRaster raster = Raster.createInterleavedRaster(new DataBufferByte(rgb, rgb.length), width, height,
        width * 3, 3, new int[] {0, 1, 2}, null);
    this.image = new BufferedImage(SRGB, raster, false, null);
  }

  /** The destination for the first image of {@code reader} (a JPEG reader over {@code bytes}), or null. */
  static RgbDestination forJpeg(ImageReader reader, byte[] bytes) throws IOException {
    Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
    if (!types.hasNext() || types.next().getBufferedImageType() != BufferedImage.TYPE_3BYTE_BGR
        || mayCarryIccProfile(bytes)) {
      return null;
    }
    return new RgbDestination(reader.getWidth(0), reader.getHeight(0));
  }

  BufferedImage image() {
    return image;
  }

  /** The decoded pixels; only valid after the codec has filled {@link #image()}. */
  RgbImage rgb() {
    return RgbImage.wrap(width, height, rgb);
  }

  /** Whether the JPEG header (the segments before the first SOS) has an ICC profile, or cannot be walked. */
  static boolean mayCarryIccProfile(byte[] b) {
    if (b.length < 4 || (b[0] & 0xFF) != 0xFF || (b[1] & 0xFF) != 0xD8) {
      return true;
    }
    int i = 2;
    while (i + 3 < b.length) {
      if ((b[i] & 0xFF) != 0xFF) {
        return true;
      }
      int marker = b[i + 1] & 0xFF;
      if (marker == 0xFF) {
        i++; // fill byte
        continue;
      }
      if (marker == 0xDA || marker == 0xD9) {
        return false; // start of scan / end of image: the header is over
      }
      if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
        i += 2; // markers without a length
        continue;
      }
      int length = ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
      if (length < 2) {
        return true;
      }
      if (marker == 0xE2 && startsWith(b, i + 4, ICC_PROFILE)) {
        return true;
      }
      i += 2 + length;
    }
    return true;
  }

  private static boolean startsWith(byte[] b, int at, byte[] prefix) {
    if (at + prefix.length > b.length) {
      return false;
    }
    for (int k = 0; k < prefix.length; k++) {
      if (b[at + k] != prefix[k]) {
        return false;
      }
    }
    return true;
  }
}
