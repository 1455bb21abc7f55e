package io.captionstream.image;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * Pillow's view of a GIF's first frame: the image has the logical screen's size (grown to hold the frame if the frame
 * sticks out), the frame is placed at its offset, and the rest is filled with palette index {@code transparency} when
 * the frame declares one, else index 0 (not the background colour: that is what Pillow 9.4 does). Java's GIF reader
 * returns only the frame, so this puts it on that canvas.
 */
final class GifCanvas {

  private static final String STREAM_FORMAT = "javax_imageio_gif_stream_1.0";
  private static final String IMAGE_FORMAT = "javax_imageio_gif_image_1.0";

  final int width;
  final int height;
  private final int left;
  private final int top;
  private final int fillIndex;

  private GifCanvas(int width, int height, int left, int top, int fillIndex) {
    this.width = width;
    this.height = height;
    this.left = left;
    this.top = top;
    this.fillIndex = fillIndex;
  }

  /** Reads the screen and first-frame geometry; the reader's input must have been set with metadata on. */
  static GifCanvas of(ImageReader reader) throws IOException {
    IIOMetadata stream = reader.getStreamMetadata();
    IIOMetadata image = reader.getImageMetadata(0);
    int screenW = 0;
    int screenH = 0;
    if (stream != null) {
      Node lsd = child(stream.getAsTree(STREAM_FORMAT), "LogicalScreenDescriptor");
      screenW = intAttr(lsd, "logicalScreenWidth", 0);
      screenH = intAttr(lsd, "logicalScreenHeight", 0);
    }
    Node root = image.getAsTree(IMAGE_FORMAT);
    Node desc = child(root, "ImageDescriptor");
    int left = intAttr(desc, "imageLeftPosition", 0);
    int top = intAttr(desc, "imageTopPosition", 0);
    int frameW = intAttr(desc, "imageWidth", reader.getWidth(0));
    int frameH = intAttr(desc, "imageHeight", reader.getHeight(0));
    Node gce = child(root, "GraphicControlExtension");
    int fill = 0;
    if (gce != null && "TRUE".equalsIgnoreCase(attr(gce, "transparentColorFlag"))) {
      fill = intAttr(gce, "transparentColorIndex", 0);
    }
    return new GifCanvas(Math.max(screenW, left + frameW), Math.max(screenH, top + frameH), left, top, fill);
  }

  /** The decoded frame {@code rgb} (of {@code frame}) placed on the canvas, or {@code rgb} when they coincide. */
  RgbImage place(RgbImage rgb, BufferedImage frame) {
    if (left == 0 && top == 0 && width == rgb.width() && height == rgb.height()) {
      return rgb;
    }
    byte r = 0;
    byte g = 0;
    byte b = 0;
    if (frame.getColorModel() instanceof IndexColorModel icm && fillIndex < icm.getMapSize()) {
      r = (byte) icm.getRed(fillIndex);
      g = (byte) icm.getGreen(fillIndex);
      b = (byte) icm.getBlue(fillIndex);
    }
    byte[] out = new byte[Math.multiplyExact(Math.multiplyExact(width, height), 3)];
    for (int i = 0; i < out.length; i += 3) {
      out[i] = r;
      out[i + 1] = g;
      out[i + 2] = b;
    }
    byte[] src = rgb.data();
    int rowBytes = rgb.width() * 3;
    for (int y = 0; y < rgb.height(); y++) {
      System.arraycopy(src, y * rowBytes, out, ((top + y) * width + left) * 3, rowBytes);
    }
    return RgbImage.wrap(width, height, out);
  }

  private static Node child(Node parent, String name) {
    if (parent == null) {
      return null;
    }
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (name.equals(n.getNodeName())) {
        return n;
      }
    }
    return null;
  }

  private static String attr(Node node, String name) {
    if (node == null) {
      return null;
    }
    NamedNodeMap attrs = node.getAttributes();
    Node a = attrs == null ? null : attrs.getNamedItem(name);
    return a == null ? null : a.getNodeValue();
  }

  private static int intAttr(Node node, String name, int fallback) {
    String v = attr(node, name);
    if (v == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      return fallback;
    }
  }
}
