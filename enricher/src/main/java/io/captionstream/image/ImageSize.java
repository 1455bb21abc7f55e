package io.captionstream.image;

/** A width × height pair in pixels. */
public record ImageSize(int width, int height) {

  public ImageSize {
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
    }
  }

  @Override
  public String toString() {
    return width + "x" + height;
  }
}
