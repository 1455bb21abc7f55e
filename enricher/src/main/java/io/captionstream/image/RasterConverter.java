package io.captionstream.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.SampleModel;

/**
 * Converts a decoded {@link BufferedImage} to 8-bit RGB the way Pillow's {@code Image.convert("RGB")} converts the
 * image Pillow itself would have opened. The codec's raw samples are used, never Java2D colour management (Java would
 * otherwise apply e.g. the linear-gray colour space of gray PNGs or an embedded ICC profile; Pillow applies neither):
 * <ul>
 *   <li>palette (PNG/GIF/BMP, incl. tRNS): the palette's RGB, palette alpha ignored; low-bit gray PNGs are
 *       palette-like gray ramps (2-bit: 0, 85, 170, 255), as in Pillow's mode "L"/"1";</li>
 *   <li>gray: replicated to R = G = B; gray+alpha: alpha dropped;</li>
 *   <li>RGBA: alpha dropped, no compositing;</li>
 *   <li>16-bit samples: colour (RGB, RGBA) and gray+alpha keep the high byte ({@code v >> 8}, Pillow's
 *       "RGB;16B"/"LA;16B" unpackers), but plain 16-bit gray is Pillow mode "I" whose RGB conversion <b>clamps</b>
 *       {@code min(v, 255)} (so most 16-bit gray images turn near-white in Pillow 9.4, and here too);</li>
 *   <li>packed samples of fewer than 8 bits (16-bit BMP): {@code v * 255 / max}, truncated, like Pillow's
 *       unpackers.</li>
 * </ul>
 * Colour spaces other than RGB/gray (CMYK/YCCK JPEG) go through Java2D's own conversion and are only approximately
 * what Pillow produces.
 */
final class RasterConverter {

  private RasterConverter() {
  }

  static RgbImage toRgb(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    byte[] out = new byte[Math.multiplyExact(Math.multiplyExact(w, h), 3)];
    ColorModel cm = image.getColorModel();
    Raster raster = image.getRaster();
    if (cm instanceof IndexColorModel icm) {
      fromPalette(raster, icm, out);
    } else if (cm.getColorSpace().getType() == ColorSpace.TYPE_RGB || cm.getColorSpace().getType()
        == ColorSpace.TYPE_GRAY) {
      if (!fastInterleavedBytes(raster, cm, out)) {
        fromSamples(raster, cm, out);
      }
    } else {
      fromJava2d(image, out);
    }
    return RgbImage.wrap(w, h, out);
  }

  private static void fromPalette(Raster raster, IndexColorModel icm, byte[] out) {
    int size = icm.getMapSize();
    byte[] r = new byte[size];
    byte[] g = new byte[size];
    byte[] b = new byte[size];
    icm.getReds(r);
    icm.getGreens(g);
    icm.getBlues(b);
    int w = raster.getWidth();
    int[] row = new int[w];
    int o = 0;
    for (int y = 0; y < raster.getHeight(); y++) {
      raster.getSamples(raster.getMinX(), raster.getMinY() + y, w, 1, 0, row);
      for (int x = 0; x < w; x++) {
        int i = row[x];
        if (i < 0 || i >= size) {
          i = 0;
        }
        out[o++] = r[i];
        out[o++] = g[i];
        out[o++] = b[i];
      }
    }
  }

  /** The common JPEG/PNG case: 8-bit interleaved bytes (3BYTE_BGR, 4BYTE_ABGR, BYTE_GRAY ...). */
  private static boolean fastInterleavedBytes(Raster raster, ColorModel cm, byte[] out) {
    SampleModel sm = raster.getSampleModel();
    if (!(raster.getDataBuffer() instanceof DataBufferByte db) || !(sm instanceof ComponentSampleModel csm)
        || db.getNumBanks() != 1 || raster.getParent() != null) {
      return false;
    }
    int colorBands = cm.getNumColorComponents();
    for (int band = 0; band < sm.getNumBands(); band++) {
      if (sm.getSampleSize(band) != 8) {
        return false;
      }
    }
    int[] offsets = csm.getBandOffsets();
    int pixelStride = csm.getPixelStride();
    int scanStride = csm.getScanlineStride();
    byte[] data = db.getData();
    int base = db.getOffset();
    int w = raster.getWidth();
    int h = raster.getHeight();
    int r0 = offsets[0];
    int g0 = offsets[colorBands == 1 ? 0 : 1];
    int b0 = offsets[colorBands == 1 ? 0 : 2];
    int o = 0;
    for (int y = 0; y < h; y++) {
      int p = base + y * scanStride;
      for (int x = 0; x < w; x++, p += pixelStride) {
        out[o++] = data[p + r0];
        out[o++] = data[p + g0];
        out[o++] = data[p + b0];
      }
    }
    return true;
  }

  private static void fromSamples(Raster raster, ColorModel cm, byte[] out) {
    SampleModel sm = raster.getSampleModel();
    int colorBands = cm.getNumColorComponents();
    boolean gray = colorBands == 1;
    boolean plainGray16 = gray && !cm.hasAlpha() && sm.getSampleSize(0) == 16;
    int[] bands = gray ? new int[] {0, 0, 0} : new int[] {0, 1, 2};
    int w = raster.getWidth();
    int[] row = new int[w];
    for (int c = 0; c < 3; c++) {
      int band = bands[c];
      int bits = sm.getSampleSize(band);
      boolean clamp = plainGray16 || sm.getDataType() == DataBuffer.TYPE_INT && bits > 16;
      for (int y = 0; y < raster.getHeight(); y++) {
        raster.getSamples(raster.getMinX(), raster.getMinY() + y, w, 1, band, row);
        int o = y * w * 3 + c;
        for (int x = 0; x < w; x++, o += 3) {
          out[o] = (byte) to8(row[x], bits, clamp);
        }
      }
    }
  }

  private static int to8(int v, int bits, boolean clamp) {
    if (bits == 8) {
      return v;
    }
    if (clamp) {
      return Math.min(Math.max(v, 0), 255);
    }
    if (bits > 8) {
      return (v >>> (bits - 8)) & 0xFF;
    }
    return v * 255 / ((1 << bits) - 1);
  }

  private static void fromJava2d(BufferedImage image, byte[] out) {
    int w = image.getWidth();
    int[] row = new int[w];
    int o = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      image.getRGB(0, y, w, 1, row, 0, w);
      for (int x = 0; x < w; x++) {
        int argb = row[x];
        out[o++] = (byte) (argb >> 16);
        out[o++] = (byte) (argb >> 8);
        out[o++] = (byte) argb;
      }
    }
  }
}
