package io.captionstream.generate;

/**
 * One image made ready for the model: what the vision encoder and decoder get, and how it was cut.
 *
 * @param inputs       pixel values and prompt ids
 * @param rows         tile rows (0 when unsplit)
 * @param cols         tile columns (0 when unsplit)
 * @param promptText   the expanded prompt string that was tokenised
 * @param imageTokens  {@code <image>} ids in the prompt
 * @param decodeMs     bytes to RGB
 * @param preprocessMs resize, tiles, normalisation, prompt expansion and tokenisation
 */
public record PreparedImage(
    ModelInputs inputs, int rows, int cols, String promptText, int imageTokens, double decodeMs,
    double preprocessMs) {

  public int tiles() {
    return inputs.tiles();
  }

  public int promptTokens() {
    return inputs.promptLength();
  }
}
