package io.captionstream.generate;

/**
 * The caption of one image and what it cost.
 *
 * @param caption         the decoded text, special tokens skipped, leading space trimmed
 * @param tokenIds        the generated ids, the stop token included when it was reached
 * @param promptTokens    length of the model input (image ids included)
 * @param imageTokens     number of {@code <image>} ids in the prompt
 * @param generatedTokens number of generated ids ({@code tokenIds.length})
 * @param timings         per-stage milliseconds
 * @param tokensPerSecond generated tokens per second of prefill + decode loop
 * @param stoppedOnEos    whether generation ended on the end-of-utterance token (else on {@code maxNewTokens})
 * @param rows            tile rows of the split image (0 when unsplit)
 * @param cols            tile columns of the split image (0 when unsplit)
 */
public record CaptionResult(
    String caption,
    long[] tokenIds,
    int promptTokens,
    int imageTokens,
    int generatedTokens,
    EngineTimings timings,
    double tokensPerSecond,
    boolean stoppedOnEos,
    int rows,
    int cols) {

  /** Tiles fed to the vision encoder: rows &times; cols plus the global tile, or 1 when unsplit. */
  public int tiles() {
    return rows * cols + 1;
  }
}
