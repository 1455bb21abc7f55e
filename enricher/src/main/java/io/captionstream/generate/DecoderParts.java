package io.captionstream.generate;

/**
 * The stages a {@link GreedyDecoder} runs, each owned by one worker (own buffers over the shared sessions). The
 * package-private seam the parity suite's negative controls replace a stage through ({@link #withMerge},
 * {@link #withStep}); shipped code only ever builds {@link #exact}.
 */
record DecoderParts(SessionSet sessions, VisionEncoder vision, TokenEmbedder embedder, ImageMerge merge,
    DecoderStep step, long imageTokenId) {

  /** The contract's stages over {@code sessions}. */
  static DecoderParts exact(SessionSet sessions, long imageTokenId, int visionTilesPerRun) {
    return new DecoderParts(sessions, new VisionEncoder(sessions, visionTilesPerRun), new TokenEmbedder(sessions),
        ImageMerge.intoImageRows(imageTokenId), new DecoderRun(sessions), imageTokenId);
  }

  DecoderParts withMerge(ImageMerge other) {
    return new DecoderParts(sessions, vision, embedder, other, step, imageTokenId);
  }

  DecoderParts withStep(DecoderStep other) {
    return new DecoderParts(sessions, vision, embedder, merge, other, imageTokenId);
  }
}
