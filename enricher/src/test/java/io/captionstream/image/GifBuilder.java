package io.captionstream.image;

import java.io.ByteArrayOutputStream;

/**
 * Writes single-frame GIF89a files byte by byte (global 256-colour palette, frame at an offset on a logical screen,
 * optional transparency), so tests can build frames smaller than the screen, which Java's GIF writer cannot. The LZW
 * data uses only literal codes with a clear code every 250 pixels, which every decoder must accept.
 */
final class GifBuilder {

  private GifBuilder() {
  }

  static byte[] gif(int screenW, int screenH, int left, int top, int frameW, int frameH, int background,
      Integer transparent, byte[] palette, int[] indices) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes("GIF89a".getBytes());
    le16(out, screenW);
    le16(out, screenH);
    out.write(0xF7); // global colour table, 8 bits
    out.write(background);
    out.write(0);
    out.writeBytes(palette);
    if (transparent != null) {
      out.writeBytes(new byte[] {0x21, (byte) 0xF9, 4, 1, 0, 0, (byte) (int) transparent, 0});
    }
    out.write(0x2C);
    le16(out, left);
    le16(out, top);
    le16(out, frameW);
    le16(out, frameH);
    out.write(0);
    out.write(8); // LZW minimum code size
    out.writeBytes(blocks(literalLzw(indices)));
    out.write(0x3B);
    return out.toByteArray();
  }

  private static byte[] literalLzw(int[] indices) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long bits = 0;
    int n = 0;
    int sinceClear = 0;
    int[] codes = new int[indices.length + indices.length / 250 + 3];
    int c = 0;
    codes[c++] = 256;
    for (int v : indices) {
      if (sinceClear == 250) {
        codes[c++] = 256;
        sinceClear = 0;
      }
      codes[c++] = v;
      sinceClear++;
    }
    codes[c++] = 257;
    for (int i = 0; i < c; i++) {
      bits |= (long) codes[i] << n;
      n += 9;
      while (n >= 8) {
        out.write((int) (bits & 0xFF));
        bits >>>= 8;
        n -= 8;
      }
    }
    if (n > 0) {
      out.write((int) (bits & 0xFF));
    }
    return out.toByteArray();
  }

  private static byte[] blocks(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < data.length; i += 255) {
      int len = Math.min(255, data.length - i);
      out.write(len);
      out.write(data, i, len);
    }
    out.write(0);
    return out.toByteArray();
  }

  private static void le16(ByteArrayOutputStream out, int v) {
    out.write(v & 0xFF);
    out.write((v >> 8) & 0xFF);
  }
}
