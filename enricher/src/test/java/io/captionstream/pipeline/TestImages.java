package io.captionstream.pipeline;

import io.captionstream.image.SamplePictures;
import java.awt.Color;
import java.util.Base64;

/** Small generated PNGs as {@code data:} URIs for pipeline tests. */
final class TestImages {

  private TestImages() {}

  static String dataUri(byte[] bytes) {
    return "data:image/png;base64," + Base64.getEncoder().encodeToString(bytes);
  }

  static String pngDataUri(int width, int height, Color color) {
    return dataUri(SamplePictures.solidPng(width, height, color));
  }
}
