package io.captionstream.generate;

/**
 * The outcome of one greedy generation from prepared inputs.
 *
 * @param tokenIds     generated ids, the stop token included when reached
 * @param stoppedOnEos whether the last id is a stop token
 * @param promptTokens prompt length
 * @param imageTokens  {@code <image>} ids in the prompt (= image feature rows)
 * @param visionMs     vision encoder run
 * @param prefillMs    prompt embedding, feature merge, first decoder run and its argmax
 * @param firstTokenMs from the start of the generation to the first generated id
 * @param decodeLoopMs every step after the first
 */
public record Generation(
    long[] tokenIds,
    boolean stoppedOnEos,
    int promptTokens,
    int imageTokens,
    double visionMs,
    double prefillMs,
    double firstTokenMs,
    double decodeLoopMs) {

  public int generated() {
    return tokenIds.length;
  }
}
