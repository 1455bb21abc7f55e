package io.captionstream.image;

import io.captionstream.model.PreprocessorConfig;

/**
 * How an image is cut for the vision encoder: {@code rows × cols} tiles of {@code tileSize}² taken row-major from the
 * {@code cols·S × rows·S} resized image, followed by one global tile; or, when {@code rows == cols == 0}, a single tile
 * (no split: splitting off, or the resized image is exactly one tile).
 */
public record TileGrid(int rows, int cols, int tileSize) {

  public TileGrid {
    if (rows < 0 || cols < 0 || (rows == 0) != (cols == 0) || tileSize < 1) {
      throw new IllegalArgumentException("invalid grid " + rows + "x" + cols + " of " + tileSize);
    }
  }

  public static TileGrid unsplit(int tileSize) {
    return new TileGrid(0, 0, tileSize);
  }

  /** {@code split_image}: splits only when the (tile-multiple) image is larger than one tile. */
  static TileGrid forTileMultiple(ImageSize resized, int tileSize) {
    if (resized.width() > tileSize || resized.height() > tileSize) {
      return new TileGrid(ceilDiv(resized.height(), tileSize), ceilDiv(resized.width(), tileSize), tileSize);
    }
    return unsplit(tileSize);
  }

  /**
   * The grid an image of {@code width × height} (after EXIF orientation) gets under {@code config}, without touching
   * pixels: what the prompt stage needs to lay out image tokens.
   */
  public static TileGrid plan(int width, int height, PreprocessorConfig config) {
    int tile = config.tileSize();
    if (!config.doImageSplitting()) {
      return unsplit(tile);
    }
    ImageSize size = new ImageSize(width, height);
    if (config.doResize()) {
      size = ResizePlan.longestEdge(width, height, config.longestEdge());
    }
    return forTileMultiple(ResizePlan.tileMultiple(size.width(), size.height(), tile), tile);
  }

  public boolean isSplit() {
    return rows > 0;
  }

  /** Tiles fed to the vision encoder: {@code rows·cols + 1}, or 1 when unsplit. */
  public int tiles() {
    return isSplit() ? rows * cols + 1 : 1;
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }
}
