package io.captionstream.cli;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** A deterministic test picture (gradients, shapes) encoded as PNG, for benchmarks that are given no image. */
final class TestPicture {

  private TestPicture() {}

  static byte[] png(int width, int height) {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int r = x * 255 / Math.max(1, width - 1);
        int g = y * 255 / Math.max(1, height - 1);
        int b = ((x / 32) + (y / 32)) % 2 == 0 ? 200 : 40;
        img.setRGB(x, y, (r << 16) | (g << 8) | b);
      }
    }
    Graphics2D g = img.createGraphics();
    g.setColor(new Color(250, 220, 30));
    g.fillOval(width / 4, height / 4, width / 3, height / 3);
    g.setColor(new Color(20, 60, 160));
    g.fillRect(width / 2, height / 2, width / 3, height / 5);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
