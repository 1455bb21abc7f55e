package io.captionstream.generate;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.captionstream.model.GraphContract;
import io.captionstream.model.TensorSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The three ONNX Runtime sessions of a model (vision encoder, token embedder, decoder), created from the shared
 * {@link OrtEnvironment}. ORT's {@code Run} is thread-safe, so one set serves every worker (see {@link
 * SharedSessions}); all per-run state (KV cache, pinned outputs, run options) lives with the caller. Its
 * {@link GraphContract} is derived from the sessions' own metadata.
 */
public final class SessionSet implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SessionSet.class);

  private final OrtEnvironment env;
  private final OrtSession vision;
  private final OrtSession embed;
  private final OrtSession decoder;
  private final GraphContract contract;
  private final boolean lastPositionLogits;

  private SessionSet(OrtEnvironment env, OrtSession vision, OrtSession embed, OrtSession decoder,
      GraphContract contract, boolean lastPositionLogits) {
    this.env = env;
    this.vision = vision;
    this.embed = embed;
    this.decoder = decoder;
    this.contract = contract;
    this.lastPositionLogits = lastPositionLogits;
  }

  /**
   * Opens the three graphs.
   *
   * @throws io.captionstream.model.GraphContractException when a graph breaks the contract
   * @throws IllegalStateException when ONNX Runtime cannot load a file (the message names it)
   */
  public static SessionSet open(OrtEnvironment env, Path visionFile, Path embedFile, Path decoderFile,
      EngineSettings settings) {
    OrtSession v = null;
    OrtSession e = null;
    OrtSession d = null;
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(settings.intraOpThreads());
      options.setInterOpNumThreads(1);
      options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      options.setOptimizationLevel(settings.optLevel());
      v = create(env, visionFile, options);
      e = create(env, embedFile, options);
      boolean sliced = false;
      if (settings.lastPositionLogits()) {
        LmHeadSlice.Outcome o = LmHeadSlice.rewrite(decoderFile);
        if (o.rewritten() != null) {
          try (LmHeadSlice.Rewritten r = o.rewritten()) {
            d = create(env, r.file(), options);
          }
          sliced = true;
          log.debug("{}: the prefill computes the lm head for the last position only", name(decoderFile));
        } else {
          log.info("{}: logits for every prompt position ({})", name(decoderFile), o.skipped());
        }
      }
      if (d == null) {
        d = create(env, decoderFile, options);
      }
      GraphContract contract = GraphContract.derive(
          name(visionFile), TensorSpec.of(v.getInputInfo()), TensorSpec.of(v.getOutputInfo()),
          name(embedFile), TensorSpec.of(e.getInputInfo()), TensorSpec.of(e.getOutputInfo()),
          name(decoderFile), TensorSpec.of(d.getInputInfo()), TensorSpec.of(d.getOutputInfo()));
      return new SessionSet(env, v, e, d, contract, sliced);
    } catch (OrtException ex) {
      closeQuietly(v, e, d);
      throw new IllegalStateException("cannot read session metadata: " + ex.getMessage(), ex);
    } catch (RuntimeException ex) {
      closeQuietly(v, e, d);
      throw ex;
    }
  }

  private static OrtSession create(OrtEnvironment env, Path file, OrtSession.SessionOptions options) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("model file missing: " + file);
    }
    try {
      return env.createSession(file.toString(), options);
    } catch (OrtException ex) {
      throw new IllegalStateException("ONNX Runtime cannot load " + file + ": " + ex.getMessage(), ex);
    }
  }

  private static String name(Path p) {
    return p.getFileName().toString();
  }

  private static void closeQuietly(OrtSession... sessions) {
    for (OrtSession s : sessions) {
      if (s != null) {
        try {
          s.close();
        } catch (OrtException ignored) {
          // already failing
        }
      }
    }
  }

  public OrtEnvironment env() {
    return env;
  }

  public OrtSession vision() {
    return vision;
  }

  public OrtSession embed() {
    return embed;
  }

  public OrtSession decoder() {
    return decoder;
  }

  public GraphContract contract() {
    return contract;
  }

  /** Whether the decoder was rewritten to return logits {@code [batch, 1, vocab]} (the last position) only. */
  public boolean lastPositionLogits() {
    return lastPositionLogits;
  }

  @Override
  public void close() {
    closeQuietly(decoder, embed, vision);
  }
}
