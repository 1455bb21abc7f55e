package io.captionstream.generate;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;

/** One decoder run over {@code seq} new positions starting at {@code position}, returning the next (greedy) id. */
@FunctionalInterface
interface DecoderStep {

  /**
   * @param embeds   {@code [1, seq, hidden]}
   * @param cache    the past; advanced by {@code seq} positions
   * @param stage    named in errors ({@code prefill}, {@code decode step k})
   */
  long run(OnnxTensor embeds, int seq, int position, KvCache cache, RunControl control, String stage)
      throws OrtException;
}
