package io.captionstream.generate;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;

/**
 * How one worker's ONNX Runtime sessions are set up.
 *
 * @param intraOpThreads threads each session may use inside one operator (a worker runs one session at a time)
 * @param optLevel       graph optimisation level
 */
public record EngineSettings(int intraOpThreads, OptLevel optLevel) {

  public EngineSettings {
    if (intraOpThreads < 1) {
      throw new IllegalArgumentException("intraOpThreads must be >= 1, was " + intraOpThreads);
    }
    if (optLevel == null) {
      optLevel = OptLevel.ALL_OPT;
    }
  }

  public static EngineSettings threads(int intraOpThreads) {
    return new EngineSettings(intraOpThreads, OptLevel.ALL_OPT);
  }
}
