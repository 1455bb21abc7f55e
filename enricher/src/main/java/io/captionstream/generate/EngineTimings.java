package io.captionstream.generate;

/**
 * Milliseconds spent in each stage of one caption, measured with {@link System#nanoTime()}.
 *
 * @param decode     image bytes to RGB pixels
 * @param preprocess resize, tiles, normalise, prompt expansion and tokenisation
 * @param vision     the vision encoder run
 * @param prefill    token embedding, feature merge and the first decoder run over the whole prompt
 * @param firstToken from the start of the caption to the first generated token being known
 * @param decodeLoop every decoder step after the first token
 * @param total      the whole caption
 */
public record EngineTimings(
    double decode,
    double preprocess,
    double vision,
    double prefill,
    double firstToken,
    double decodeLoop,
    double total) {}
