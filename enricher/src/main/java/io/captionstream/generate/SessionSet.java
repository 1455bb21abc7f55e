package io.captionstream.generate;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.captionstream.model.GraphContract;
import io.captionstream.model.TensorSpec;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The three ONNX Runtime sessions of a model (vision encoder, token embedder, decoder), created from the shared
 * {@link OrtEnvironment}. ORT's {@code Run} is thread-safe, so one set serves every worker (see {@link
 * SharedSessions}); all per-run state (KV cache, pinned outputs, run options) lives with the caller. Its
 * {@link GraphContract} is derived from the sessions' own metadata.
 */
public final class SessionSet implements AutoCloseable {

  private final OrtEnvironment env;
  private final OrtSession vision;
  private final OrtSession embed;
  private final OrtSession decoder;
  private final GraphContract contract;

  private SessionSet(OrtEnvironment env, OrtSession vision, OrtSession embed, OrtSession decoder,
      GraphContract contract) {
    this.env = env;
    this.vision = vision;
    this.embed = embed;
    this.decoder = decoder;
    this.contract = contract;
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
      d = create(env, decoderFile, options);
      GraphContract contract = GraphContract.derive(
          name(visionFile), TensorSpec.of(v.getInputInfo()), TensorSpec.of(v.getOutputInfo()),
          name(embedFile), TensorSpec.of(e.getInputInfo()), TensorSpec.of(e.getOutputInfo()),
          name(decoderFile), TensorSpec.of(d.getInputInfo()), TensorSpec.of(d.getOutputInfo()));
      return new SessionSet(env, v, e, d, contract);
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

  @Override
  public void close() {
    closeQuietly(decoder, embed, vision);
  }
}
