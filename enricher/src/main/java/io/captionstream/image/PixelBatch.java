package io.captionstream.image;

import java.util.Arrays;
import java.util.Objects;

/**
 * The vision encoder input of one image: {@code pixel_values} float32 {@code [1, tiles, 3, S, S]} (RGB planes, tiles
 * row-major, the global tile last) and the matching all-true {@code pixel_attention_mask} {@code [1, tiles, S, S]}.
 * The float array is owned by this record and must not be modified (it is exposed without a copy to avoid 50 MB of
 * copying per image); {@link #grid()} says how the tiles were cut.
 */
public record PixelBatch(float[] pixelValues, TileGrid grid) {

  public PixelBatch {
    Objects.requireNonNull(pixelValues, "pixelValues");
    long expected = (long) grid.tiles() * 3 * grid.tileSize() * grid.tileSize();
    if (pixelValues.length != expected) {
      throw new IllegalArgumentException("expected " + expected + " floats, got " + pixelValues.length);
    }
  }

  public int tiles() {
    return grid.tiles();
  }

  public int tileSize() {
    return grid.tileSize();
  }

  /** Rows of the split grid, 0 when unsplit. */
  public int rows() {
    return grid.rows();
  }

  /** Columns of the split grid, 0 when unsplit. */
  public int cols() {
    return grid.cols();
  }

  /** {@code [1, tiles, 3, S, S]}. */
  public long[] pixelShape() {
    return new long[] {1, tiles(), 3, tileSize(), tileSize()};
  }

  /** {@code [1, tiles, S, S]}. */
  public long[] maskShape() {
    return new long[] {1, tiles(), tileSize(), tileSize()};
  }

  /** The bool mask as bytes (1 = true), in {@link #maskShape()} order: every pixel is real, none is padding. */
  public byte[] attentionMask() {
    byte[] mask = new byte[tiles() * tileSize() * tileSize()];
    Arrays.fill(mask, (byte) 1);
    return mask;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PixelBatch other && grid.equals(other.grid) && Arrays.equals(pixelValues, other.pixelValues);
  }

  @Override
  public int hashCode() {
    return 31 * grid.hashCode() + Arrays.hashCode(pixelValues);
  }

  @Override
  public String toString() {
    return "PixelBatch[tiles=" + tiles() + ", grid=" + grid.rows() + "x" + grid.cols() + ", S=" + tileSize() + "]";
  }
}
