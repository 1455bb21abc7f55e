package io.captionstream.image;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Writes PNG files byte by byte so tests control colour type, bit depth, palette, tRNS and eXIf exactly (the JDK
 * writer picks those itself). Samples are given per pixel and channel, row-major, at the file's bit depth.
 */
public final class PngBuilder {

  static final int GRAY = 0;
  static final int RGB = 2;
  static final int PALETTE = 3;
  static final int GRAY_ALPHA = 4;
  static final int RGBA = 6;

  private final int width;
  private final int height;
  private final int bitDepth;
  private final int colorType;
  private final int[] samples;
  private byte[] palette;
  private byte[] transparency;
  private byte[] exif;

  PngBuilder(int width, int height, int bitDepth, int colorType, int[] samples) {
    this.width = width;
    this.height = height;
    this.bitDepth = bitDepth;
    this.colorType = colorType;
    this.samples = samples;
    if (samples.length != width * height * channels(colorType)) {
      throw new IllegalArgumentException("sample count");
    }
  }

  static int channels(int colorType) {
    return switch (colorType) {
      case GRAY, PALETTE -> 1;
      case GRAY_ALPHA -> 2;
      case RGB -> 3;
      case RGBA -> 4;
      default -> throw new IllegalArgumentException("colour type " + colorType);
    };
  }

  PngBuilder palette(byte[] rgbTriples) {
    this.palette = rgbTriples;
    return this;
  }

  PngBuilder transparency(byte[] trns) {
    this.transparency = trns;
    return this;
  }

  /** An eXIf chunk (TIFF bytes, no "Exif\0\0" prefix). */
  PngBuilder exif(byte[] tiff) {
    this.exif = tiff;
    return this;
  }

  byte[] build() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    byte[] ihdr = new byte[13];
    putInt(ihdr, 0, width);
    putInt(ihdr, 4, height);
    ihdr[8] = (byte) bitDepth;
    ihdr[9] = (byte) colorType;
    chunk(out, "IHDR", ihdr);
    if (palette != null) {
      chunk(out, "PLTE", palette);
    }
    if (transparency != null) {
      chunk(out, "tRNS", transparency);
    }
    if (exif != null) {
      chunk(out, "eXIf", exif);
    }
    chunk(out, "IDAT", deflate(scanlines()));
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private byte[] scanlines() {
    int ch = channels(colorType);
    int rowBytes = (width * ch * bitDepth + 7) / 8;
    byte[] raw = new byte[height * (rowBytes + 1)];
    int s = 0;
    for (int y = 0; y < height; y++) {
      int base = y * (rowBytes + 1) + 1; // filter byte 0 = None
      if (bitDepth >= 8) {
        int p = base;
        for (int i = 0; i < width * ch; i++) {
          int v = samples[s++];
          if (bitDepth == 16) {
            raw[p++] = (byte) (v >> 8);
          }
          raw[p++] = (byte) v;
        }
      } else {
        int bit = 0;
        for (int i = 0; i < width * ch; i++) {
          int v = samples[s++];
          int shift = 8 - bitDepth - (bit % 8);
          raw[base + bit / 8] |= (byte) (v << shift);
          bit += bitDepth;
        }
      }
    }
    return raw;
  }

  private static byte[] deflate(byte[] data) {
    Deflater deflater = new Deflater(1);
    deflater.setInput(data);
    deflater.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 64);
    byte[] buf = new byte[1 << 16];
    while (!deflater.finished()) {
      out.write(buf, 0, deflater.deflate(buf));
    }
    deflater.end();
    return out.toByteArray();
  }

  /** Writes one PNG chunk: length, type, data, CRC-32 (also for hand-made hostile files). */
  public static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] len = new byte[4];
    putInt(len, 0, data.length);
    out.writeBytes(len);
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    out.writeBytes(t);
    out.writeBytes(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    byte[] c = new byte[4];
    putInt(c, 0, (int) crc.getValue());
    out.writeBytes(c);
  }

  /** Big-endian int at {@code off}. */
  public static void putInt(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 24);
    b[off + 1] = (byte) (v >>> 16);
    b[off + 2] = (byte) (v >>> 8);
    b[off + 3] = (byte) v;
  }
}
