package io.captionstream.generate;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** Deterministic test pictures: gradients plus a few shapes, encoded as PNG. */
final class Pictures {

  private Pictures() {}

  static byte[] png(int width, int height, int variant) {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int r = (x * 255 / Math.max(1, width - 1) + 40 * variant) & 0xff;
        int g = (y * 255 / Math.max(1, height - 1) + 90 * variant) & 0xff;
        int b = ((x / 16) + (y / 16)) % 2 == 0 ? 220 - 30 * variant : 30 + 20 * variant;
        img.setRGB(x, y, (r << 16) | (g << 8) | (b & 0xff));
      }
    }
    Graphics2D g = img.createGraphics();
    g.setColor(new Color(250, 210 - 40 * variant, 30));
    g.fillOval(width / 5, height / 4, width / 3, height / 3);
    g.setColor(new Color(20, 60, 160 + 20 * variant));
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
