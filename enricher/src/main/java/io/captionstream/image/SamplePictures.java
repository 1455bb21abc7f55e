package io.captionstream.image;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/**
 * Deterministic pictures for benchmarks, demos and tests: a colour gradient over a checkerboard with a sun and a
 * block on it, or a single colour, encoded as PNG.
 */
public final class SamplePictures {

  private SamplePictures() {}

  /** The picture {@code bench} uses when given no image: 32-pixel checkerboard. */
  public static byte[] png(int width, int height) {
    return encode(scene(width, height, 32, 0, 0, 200, 40, width / 4,
        new Color(250, 220, 30), new Color(20, 60, 160)), "png");
  }

  /** One of a family of pictures (16-pixel checkerboard), told apart by {@code variant} 0..3 (colours, shading). */
  public static byte[] png(int width, int height, int variant) {
    return encode(scene(width, height, 16, 40 * variant, 90 * variant, 220 - 30 * variant, 30 + 20 * variant,
        width / 5, new Color(250, 210 - 40 * variant, 30), new Color(20, 60, 160 + 20 * variant)), "png");
  }

  /** A picture of one colour. */
  public static byte[] solidPng(int width, int height, Color color) {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(color);
    g.fillRect(0, 0, width, height);
    g.dispose();
    return encode(img, "png");
  }

  /** {@code img} in an image format ImageIO writes ({@code png}, {@code bmp}, {@code gif}, …). */
  public static byte[] encode(BufferedImage img, String format) {
    try (ByteArrayOutputStream bytes = new ByteArrayOutputStream()) {
      if (!ImageIO.write(img, format, bytes)) {
        throw new IllegalStateException("no writer for " + format);
      }
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static BufferedImage scene(int width, int height, int cell, int redShift, int greenShift, int blueLight,
      int blueDark, int sunX, Color sun, Color block) {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int r = (x * 255 / Math.max(1, width - 1) + redShift) & 0xff;
        int g = (y * 255 / Math.max(1, height - 1) + greenShift) & 0xff;
        int b = ((x / cell) + (y / cell)) % 2 == 0 ? blueLight : blueDark;
        img.setRGB(x, y, (r << 16) | (g << 8) | (b & 0xff));
      }
    }
    Graphics2D g = img.createGraphics();
    g.setColor(sun);
    g.fillOval(sunX, height / 4, width / 3, height / 3);
    g.setColor(block);
    g.fillRect(width / 2, height / 2, width / 3, height / 5);
    g.dispose();
    return img;
  }
}
