package io.captionstream.image;

/**
 * The size rules of transformers' {@code Idefics3ImageProcessor} (slow processor), with Python's float division and
 * {@code int()} truncation reproduced in double arithmetic.
 */
public final class ResizePlan {

  /** transformers' {@code MAX_IMAGE_SIZE}: the first resize never makes an edge longer than this. */
  public static final int MAX_IMAGE_SIZE = 4096;

  private ResizePlan() {
  }

  /**
   * {@code get_resize_output_image_size}: the longest edge becomes {@code longestEdge} (up- or downscaling), the other
   * edge {@code int(...)} of the aspect-preserving size, bumped to even when odd, at least 1; then both are capped at
   * {@link #MAX_IMAGE_SIZE} the same way (without the even bump).
   */
  public static ImageSize longestEdge(int width, int height, int longestEdge) {
    double aspect = (double) width / height;
    int w;
    int h;
    if (width >= height) {
      w = longestEdge;
      h = (int) (w / aspect);
      if (h % 2 != 0) {
        h++;
      }
    } else {
      h = longestEdge;
      w = (int) (h * aspect);
      if (w % 2 != 0) {
        w++;
      }
    }
    h = Math.max(h, 1);
    w = Math.max(w, 1);
    aspect = (double) w / h;
    if (w >= h && w > MAX_IMAGE_SIZE) {
      w = MAX_IMAGE_SIZE;
      h = (int) (w / aspect);
    } else if (h > w && h > MAX_IMAGE_SIZE) {
      h = MAX_IMAGE_SIZE;
      w = (int) (h * aspect);
    }
    return new ImageSize(Math.max(w, 1), Math.max(h, 1));
  }

  /**
   * {@code resize_for_vision_encoder}: the longer edge rounded up to a multiple of {@code tile}, the other edge
   * {@code int(long / aspect)} rounded up to a multiple of {@code tile}. Where Python would compute 0 (and Pillow then
   * fail), this returns one tile.
   */
  public static ImageSize tileMultiple(int width, int height, int tile) {
    double aspect = (double) width / height;
    int w;
    int h;
    if (width >= height) {
      w = ceilToMultiple(width, tile);
      h = ceilToMultiple((int) (w / aspect), tile);
    } else {
      h = ceilToMultiple(height, tile);
      w = ceilToMultiple((int) (h * aspect), tile);
    }
    return new ImageSize(Math.max(w, tile), Math.max(h, tile));
  }

  private static int ceilToMultiple(int v, int tile) {
    return (int) Math.ceil((double) v / tile) * tile;
  }
}
