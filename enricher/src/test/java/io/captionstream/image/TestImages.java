package io.captionstream.image;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.SplittableRandom;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Deterministic synthetic test images: smooth gradients, noise and hard edges (to exercise the clamp). */
final class TestImages {

  private TestImages() {
  }

  /** {@code w*h*channels} samples in {@code 0..maxValue}, row-major, interleaved. */
  static int[] pattern(int w, int h, int channels, int maxValue, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int[] out = new int[w * h * channels];
    int i = 0;
    double fx = 6.0 / Math.max(w, 8);
    double fy = 5.0 / Math.max(h, 8);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        boolean edge = ((x / 7) + (y / 5)) % 4 == 0;
        for (int c = 0; c < channels; c++) {
          double v = 0.5 + 0.3 * Math.sin(x * fx + c * 1.3) * Math.cos(y * fy - c * 0.7);
          v += rnd.nextDouble(-0.15, 0.15);
          if (edge) {
            v = 1.0 - v;
          }
          v = Math.min(1.0, Math.max(0.0, v));
          out[i++] = (int) Math.round(v * maxValue);
        }
      }
    }
    return out;
  }

  /** 8-bit RGB samples as a TYPE_3BYTE_BGR image. */
  static BufferedImage rgbImage(int w, int h, long seed) {
    int[] s = pattern(w, h, 3, 255, seed);
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0, i = 0; y < h; y++) {
      for (int x = 0; x < w; x++, i += 3) {
        img.setRGB(x, y, (s[i] << 16) | (s[i + 1] << 8) | s[i + 2]);
      }
    }
    return img;
  }

  /** A random palette of {@code n} entries, as RGB triples. */
  static byte[] palette(int n, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    byte[] p = new byte[n * 3];
    for (int i = 0; i < p.length; i++) {
      p[i] = (byte) rnd.nextInt(256);
    }
    return p;
  }

  static byte[] jpeg(BufferedImage img, float quality) {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
    ImageWriter writer = writers.next();
    try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality);
      writer.setOutput(out);
      BufferedImage rgb = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
      rgb.getGraphics().drawImage(img, 0, 0, null);
      writer.write(null, new IIOImage(rgb, null, null), param);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
  }

  /** A palette GIF of the pattern (index = pattern value of channel 0). */
  static byte[] gif(int w, int h, long seed) {
    byte[] pal = palette(256, seed);
    byte[] r = new byte[256];
    byte[] g = new byte[256];
    byte[] b = new byte[256];
    for (int i = 0; i < 256; i++) {
      r[i] = pal[i * 3];
      g[i] = pal[i * 3 + 1];
      b[i] = pal[i * 3 + 2];
    }
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, 256, r, g, b));
    int[] s = pattern(w, h, 1, 255, seed);
    img.getRaster().setSamples(0, 0, w, h, 0, s);
    return SamplePictures.encode(img, "gif");
  }

  /** TIFF bytes of an IFD0 holding only the orientation tag (big-endian). */
  static byte[] exifTiff(int orientation) {
    return new byte[] {
        'M', 'M', 0, 42, 0, 0, 0, 8, // header, IFD0 at 8
        0, 1, // one entry
        0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte) orientation, 0, 0, // 0x0112 SHORT x1
        0, 0, 0, 0}; // no next IFD
  }

  /** {@code jpeg} with an APP1 Exif segment carrying {@code orientation}, inserted after the JFIF APP0 segment. */
  static byte[] withExifOrientation(byte[] jpeg, int orientation) {
    byte[] tiff = exifTiff(orientation);
    int insertAt = 2;
    if ((jpeg[2] & 0xFF) == 0xFF && (jpeg[3] & 0xFF) == 0xE0) {
      insertAt = 4 + (((jpeg[4] & 0xFF) << 8) | (jpeg[5] & 0xFF));
    }
    int len = 2 + 6 + tiff.length;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(jpeg, 0, insertAt);
    out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xE1, (byte) (len >> 8), (byte) len, 'E', 'x', 'i', 'f', 0, 0});
    out.writeBytes(tiff);
    out.write(jpeg, insertAt, jpeg.length - insertAt);
    return out.toByteArray();
  }
}
