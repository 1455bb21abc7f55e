package io.captionstream.generate;

/**
 * Deliberately wrong decoders for the parity suite's negative controls: each must produce ids the oracle rejects.
 * Production code only ever uses {@link #EXACT}; the others are reachable through package-private constructors.
 */
enum DecodeVariant {
  /** The contract. */
  EXACT,
  /** Decode steps use position {@code past + 1} instead of {@code past}. */
  POSITION_OFF_BY_ONE,
  /** Image features are not written into the {@code <image>} rows of the prompt embedding. */
  NO_IMAGE_MERGE,
  /** Every step starts from an empty cache (positions stay right). */
  DROPPED_CACHE
}
