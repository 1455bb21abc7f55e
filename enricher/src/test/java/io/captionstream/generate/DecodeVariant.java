package io.captionstream.generate;

/**
 * Deliberately wrong decoders for the parity suite's negative controls: each must produce ids the oracle rejects.
 * Test code only: each variant replaces one stage of the shipped decoder through the package-private
 * {@link DecoderParts} seam.
 */
enum DecodeVariant {
  /** The contract. */
  EXACT,
  /** Decode steps use position {@code past + 1} instead of {@code past}. */
  POSITION_OFF_BY_ONE,
  /** Image features are not written into the {@code <image>} rows of the prompt embedding. */
  NO_IMAGE_MERGE,
  /** Every step starts from an empty cache (positions stay right). */
  DROPPED_CACHE;

  /** This variant of the shipped stages. */
  DecoderParts apply(DecoderParts exact) {
    DecoderStep step = exact.step();
    return switch (this) {
      case EXACT -> exact;
      case POSITION_OFF_BY_ONE -> exact.withStep((embeds, seq, position, cache, control, stage) ->
          step.run(embeds, seq, seq == 1 ? position + 1 : position, cache, control, stage));
      case NO_IMAGE_MERGE -> exact.withMerge((in, features, embeds, hidden) -> { });
      case DROPPED_CACHE -> exact.withStep((embeds, seq, position, cache, control, stage) -> {
        long token = step.run(embeds, seq, position, cache, control, stage);
        cache.clear();
        return token;
      });
    };
  }

  /** A decoder of this variant over {@code sessions}. */
  GreedyDecoder decoder(SessionSet sessions, long imageTokenId, long[] stopIds) {
    return new GreedyDecoder(apply(DecoderParts.exact(sessions, imageTokenId, 0)), stopIds);
  }

  /** A captioner of {@code model} that decodes with this variant (what {@code model.newCaptioner} does otherwise). */
  Captioner captioner(CaptionModel model, EngineSettings settings) {
    SharedSessions.Lease lease = model.sessions().acquire(settings);
    DecoderParts parts = DecoderParts.exact(lease.sessions(), model.imageTokenId(), model.visionTilesPerRun(settings));
    return new Captioner(model, lease, new GreedyDecoder(apply(parts), model.stopTokenIds()));
  }
}
