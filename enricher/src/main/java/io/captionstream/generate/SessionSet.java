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
  private final int signedWeightTensors;

  private SessionSet(OrtEnvironment env, OrtSession vision, OrtSession embed, OrtSession decoder,
      GraphContract contract, boolean lastPositionLogits, int signedWeightTensors) {
    this.env = env;
    this.vision = vision;
    this.embed = embed;
    this.decoder = decoder;
    this.contract = contract;
    this.lastPositionLogits = lastPositionLogits;
    this.signedWeightTensors = signedWeightTensors;
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
    try {
      int[] signed = {0};
      v = openGraph(env, visionFile, settings, signed);
      e = openGraph(env, embedFile, settings, signed);
      boolean[] sliced = {false};
      d = openDecoder(env, decoderFile, settings, sliced, signed);
      GraphContract contract = GraphContract.derive(
          name(visionFile), TensorSpec.of(v.getInputInfo()), TensorSpec.of(v.getOutputInfo()),
          name(embedFile), TensorSpec.of(e.getInputInfo()), TensorSpec.of(e.getOutputInfo()),
          name(decoderFile), TensorSpec.of(d.getInputInfo()), TensorSpec.of(d.getOutputInfo()));
      return new SessionSet(env, v, e, d, contract, sliced[0], signed[0]);
    } catch (OrtException ex) {
      closeQuietly(v, e, d);
      throw new IllegalStateException("cannot read session metadata: " + ex.getMessage(), ex);
    } catch (RuntimeException ex) {
      closeQuietly(v, e, d);
      throw ex;
    }
  }

  /**
   * The decoder with the lm-head slice when it applies ({@code sliced[0]} set), else the file as it is: a graph the
   * rewrite does not recognise, or a rewritten graph ORT refuses, falls back to the original with a log line.
   */
  private static OrtSession openDecoder(OrtEnvironment env, Path file, EngineSettings settings, boolean[] sliced,
      int[] signed) {
    if (settings.lastPositionLogits()) {
      LmHeadSlice.Outcome o = LmHeadSlice.rewrite(file);
      if (o.skipped() != null) {
        log.info("{}: logits for every prompt position ({})", name(file), o.skipped());
      } else {
        try (OrtSession.SessionOptions options = options(settings, file)) {
          OrtSession s = o.open(env, options, file.toAbsolutePath().getParent());
          sliced[0] = true;
          log.debug("{}: the prefill computes the lm head for the last position only", name(file));
          return s;
        } catch (OrtException | RuntimeException ex) {
          o.discard();
          log.warn("{}: the lm-head slice did not load, using the graph as it is: {}", name(file), ex.getMessage());
        }
      }
    }
    return openGraph(env, file, settings, signed);
  }

  /**
   * The graph with its unsigned 8-bit weights loaded as signed where that helps this CPU ({@link SignedWeights}),
   * else as it is; a rewritten copy ORT refuses falls back to the original with a log line.
   */
  private static OrtSession openGraph(OrtEnvironment env, Path file, EngineSettings settings, int[] signed) {
    if (settings.signedWeights() && Files.isRegularFile(file) && CpuFlags.int8DotProduct()) {
      SignedWeights.Outcome o = SignedWeights.rewrite(file);
      if (o.failed()) {
        log.warn("{}: 8-bit weights as stored, the signed copy could not be written ({})", name(file), o.skipped());
      } else if (o.skipped() != null) {
        log.debug("{}: weights as stored ({})", name(file), o.skipped());
      } else {
        try (OrtSession.SessionOptions options = options(settings, file)) {
          OrtSession s = o.copy().load(env, options);
          signed[0] += o.tensors();
          log.info("{}: {} unsigned MatMulInteger weight tensors loaded as signed (VNNI kernel, same products)",
              name(file), o.tensors());
          return s;
        } catch (OrtException | RuntimeException ex) {
          o.copy().delete();
          log.warn("{}: the signed-weight copy did not load, using the graph as it is: {}", name(file),
              ex.getMessage());
        }
      }
    }
    return create(env, file, settings);
  }

  private static OrtSession create(OrtEnvironment env, Path file, EngineSettings settings) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("model file missing: " + file);
    }
    try (OrtSession.SessionOptions options = options(settings, file)) {
      return env.createSession(file.toString(), options);
    } catch (OrtException ex) {
      throw new IllegalStateException("ONNX Runtime cannot load " + file + ": " + ex.getMessage(), ex);
    }
  }

  /** The options of one session; the caller closes them. */
  private static OrtSession.SessionOptions options(EngineSettings settings, Path graph) throws OrtException {
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    try {
      options.setIntraOpNumThreads(settings.intraOpThreads());
      options.setInterOpNumThreads(1);
      options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      options.setOptimizationLevel(settings.optLevel());
      if (settings.profileDir() != null) {
        options.enableProfiling(settings.profileDir().resolve(name(graph).replace(".onnx", "")).toString());
      }
      return options;
    } catch (OrtException | RuntimeException e) {
      options.close();
      throw e;
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

  /** How many unsigned 8-bit weight tensors (weights and zero points) were loaded as signed. */
  public int signedWeightTensors() {
    return signedWeightTensors;
  }

  @Override
  public void close() {
    closeQuietly(decoder, embed, vision);
  }
}
