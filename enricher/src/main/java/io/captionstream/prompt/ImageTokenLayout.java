package io.captionstream.prompt;

/**
 * How one image becomes {@code <image>} placeholder tokens in the prompt (contract §4, transformers'
 * {@code _prompt_split_image} / {@code _prompt_single_image}).
 *
 * <p>Split into {@code rows × cols} tiles: per tile, row-major, {@code <fake_token_around_image><row_r_col_c>} and
 * {@code imageSeqLen × <image>}; {@code \n} after each row; then {@code \n<fake_token_around_image><global-img>},
 * {@code imageSeqLen × <image>}, {@code <fake_token_around_image>}. Unsplit ({@code rows = cols = 0}): only the
 * global block without the leading {@code \n}.
 *
 * @param rows        tile rows (0 = unsplit)
 * @param cols        tile columns (0 = unsplit)
 * @param imageSeqLen {@code <image>} tokens per tile ({@code image_seq_len}, 64)
 */
public record ImageTokenLayout(int rows, int cols, int imageSeqLen) {

  public static final String IMAGE = "<image>";
  public static final String FAKE = "<fake_token_around_image>";
  public static final String GLOBAL = "<global-img>";

  public ImageTokenLayout {
    if (rows < 0 || cols < 0 || (rows == 0) != (cols == 0)) {
      throw new IllegalArgumentException("rows and cols must both be positive (split) or both 0 (unsplit), were "
          + rows + "×" + cols);
    }
    if (imageSeqLen < 1) {
      throw new IllegalArgumentException("imageSeqLen must be positive, was " + imageSeqLen);
    }
  }

  public static ImageTokenLayout unsplit(int imageSeqLen) {
    return new ImageTokenLayout(0, 0, imageSeqLen);
  }

  public boolean split() {
    return rows > 0;
  }

  /** Tiles fed to the vision encoder: {@code rows·cols + 1} (the global image last), or 1 unsplit. */
  public int tileCount() {
    return rows * cols + 1;
  }

  /** {@code <image>} tokens this layout puts in the prompt: {@code imageSeqLen × tileCount()}. */
  public int imageTokenCount() {
    return imageSeqLen * tileCount();
  }

  /** The row/column marker of tile (r, c), 1-based: {@code <row_r_col_c>}. */
  public static String tileMarker(int row, int col) {
    return "<row_" + row + "_col_" + col + ">";
  }

  /** The text that replaces one {@code <image>} of the rendered chat template. */
  public String expansion() {
    String tileTokens = IMAGE.repeat(imageSeqLen);
    StringBuilder sb = new StringBuilder(tileTokens.length() * tileCount() + 64 * tileCount());
    if (split()) {
      for (int r = 1; r <= rows; r++) {
        for (int c = 1; c <= cols; c++) {
          sb.append(FAKE).append(tileMarker(r, c)).append(tileTokens);
        }
        sb.append('\n');
      }
      sb.append('\n');
    }
    return sb.append(FAKE).append(GLOBAL).append(tileTokens).append(FAKE).toString();
  }
}
