package io.captionstream.generate;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import io.captionstream.cli.InspectCommand;
import io.captionstream.image.SamplePictures;
import io.captionstream.model.OnnxVariant;
import io.captionstream.model.VariantSelection;
import io.captionstream.synth.SynthSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The cases of {@link GenerationParityIT}: one synthetic folder per spec and variant set, our ids (replayed from the
 * dump {@code inspect} writes, and through the caption path) and transformers.js' ids for every request, and the
 * diagnosis of each case whose ids differ ({@link KernelDifference}).
 */
final class ParityRuns {

  /**
   * One synthetic model configuration: the variants written into its folder, our variant choice and the same choice
   * as transformers.js' {@code dtype} option.
   */
  record Config(String name, SynthSpec spec, Set<OnnxVariant> written, String variant, Object oracleDtype) {

    Config(String name, SynthSpec spec) {
      this(name, spec, Set.of(), "fp32", "fp32");
    }

    /** One of the variant suite's configurations (a folder with every variant). */
    boolean variantSuite() {
      return written.size() > 1;
    }

    /**
     * Every case runs with the engine's default settings (one intra-op thread): the parity then covers what users
     * get, including an 8-bit vision encoder's all-tiles-in-one-run default (see {@code
     * CaptionModel.visionTilesPerRun}).
     */
    EngineSettings settings() {
      return EngineSettings.threads(1);
    }

    boolean halfCache() {
      OnnxVariant d = VariantSelection.parse(variant).decoder();
      return d == OnnxVariant.FP16 || d == OnnxVariant.Q4F16;
    }
  }

  /** One request: picture, question, token cap and preprocessing overrides. */
  record Request(String picture, String prompt, int maxNewTokens, Integer longestEdge, Boolean split) {}

  /** Our side of one case, before the oracle has answered. */
  private record Ours(Request request, Path dump, PreparedImage prepared, Generation generation, long[] viaCaption) {}

  /** One compared case and its outcome. */
  record Outcome(Config config, Path dir, Request request, Path dump, int tiles, int promptTokens, long[] ours,
      long[] oracle, long[] viaCaption, boolean stoppedOnEos) {

    boolean same() {
      return Arrays.equals(ours, oracle);
    }
  }

  static final Map<String, byte[]> PICTURES = new LinkedHashMap<>();

  static {
    PICTURES.put("landscape 300x200", SamplePictures.png(300, 200, 0));
    PICTURES.put("portrait 120x330", SamplePictures.png(120, 330, 1));
    PICTURES.put("square 64x64", SamplePictures.png(64, 64, 2));
    PICTURES.put("wide 500x120", SamplePictures.png(500, 120, 3));
  }

  private final TransformersJsOracle oracle;
  private final Path tmp;
  private final List<Outcome> outcomes = new ArrayList<>();
  private final Map<String, Config> configs = new LinkedHashMap<>();
  private final Map<String, Path> folders = new LinkedHashMap<>();
  private final Map<Outcome, KernelDifference> differences = new LinkedHashMap<>();
  private String oracleVersions;

  ParityRuns(TransformersJsOracle oracle, Path tmp) {
    this.oracle = oracle;
    this.tmp = tmp;
  }

  List<Outcome> outcomes() {
    return outcomes;
  }

  Map<String, Config> configs() {
    return configs;
  }

  Map<Outcome, KernelDifference> differences() {
    return differences;
  }

  String oracleVersions() {
    return oracleVersions;
  }

  /** Diagnoses every case whose ids differ from the oracle's. */
  void diagnoseDifferences(RuntimeComparison runtimes) throws Exception {
    for (Outcome o : outcomes) {
      if (!o.same()) {
        differences.put(o, KernelDifference.diagnose(o, runtimes, tmp.resolve("runtimes-" + differences.size())));
      }
    }
  }

  /** Writes the config's folder (once per spec and variant set), runs our side and the oracle on every request. */
  void run(Config config, List<Request> requests) throws Exception {
    configs.put(config.name(), config);
    String folderKey = config.spec() + " " + config.written();
    Path dir = folders.get(folderKey);
    if (dir == null) {
      dir = tmp.resolve("model-" + (folders.size() + 1));
      TinyModel.write(config.spec(), dir, config.written());
      folders.put(folderKey, dir);
    }
    List<TransformersJsOracle.Case> cases = new ArrayList<>();
    List<Ours> ours = new ArrayList<>();
    try (CaptionModel model = CaptionModel.load(dir, config.variant());
        Captioner captioner = model.newCaptioner(config.settings())) {
      assertThat(captioner.contract().kvType())
          .isEqualTo(config.halfCache() ? OnnxJavaType.FLOAT16 : OnnxJavaType.FLOAT);
      for (Request r : requests) {
        CaptionOptions options = CaptionOptions.defaults().withPrompt(r.prompt()).withMaxNewTokens(r.maxNewTokens())
            .withLongestEdge(r.longestEdge()).withSplit(r.split());
        PreparedImage prepared = model.prepare(PICTURES.get(r.picture()), options);
        Path dump = tmp.resolve("dump-" + configs.size() + "-" + cases.size());
        InspectCommand.write(prepared, dump);
        ModelInputs replay = ModelInputsFiles.read(dump);
        Generation g = captioner.generate(replay, r.maxNewTokens(), null);
        long[] viaCaption = captioner.caption(PICTURES.get(r.picture()), options).tokenIds();
        cases.add(new TransformersJsOracle.Case(dump, r.maxNewTokens()));
        ours.add(new Ours(r, dump, prepared, g, viaCaption));
      }
    }
    TransformersJsOracle.Answer answer = oracle.generate(dir, config.oracleDtype(), cases);
    oracleVersions = answer.versions().toString();
    for (int i = 0; i < ours.size(); i++) {
      Ours o = ours.get(i);
      outcomes.add(new Outcome(config, dir, o.request(), o.dump(), o.prepared().tiles(), o.prepared().promptTokens(),
          o.generation().tokenIds(), answer.generated().get(i), o.viaCaption(), o.generation().stoppedOnEos()));
    }
  }

  void printSummary() {
    System.out.println("generation parity: ORT Java " + OrtEnvironment.getEnvironment().getVersion()
        + " vs transformers.js oracle " + oracleVersions);
    for (Outcome o : outcomes) {
      System.out.printf("%-5s %-52s %-18s %-26s max %2d tiles %2d prompt %4d -> %2d ids%s%n",
          o.same() ? "SAME" : "DIFF", o.config().name(), o.request().picture(),
          o.request().prompt() == null ? "(default question)" : o.request().prompt(), o.request().maxNewTokens(),
          o.tiles(), o.promptTokens(), o.ours().length, o.stoppedOnEos() ? " (eos)" : "");
      if (!o.same()) {
        System.out.println("   ours   " + Arrays.toString(o.ours()));
        System.out.println("   oracle " + Arrays.toString(o.oracle()));
        System.out.println("   " + differences.get(o));
      }
    }
  }
}
