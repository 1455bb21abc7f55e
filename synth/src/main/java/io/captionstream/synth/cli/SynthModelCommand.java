package io.captionstream.synth.cli;

import io.captionstream.synth.HubVariant;
import io.captionstream.synth.SynthModelWriter;
import io.captionstream.synth.SynthSpec;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code synth-model}: writes a synthetic SmolVLM model folder (real graph contract, seeded random weights).
 *
 * <p>The enricher's CLI offers it because this module lists it in {@code META-INF/captionstream/commands}.
 */
@Command(name = "synth-model", mixinStandardHelpOptions = true,
    description = "Writes a synthetic SmolVLM model folder (real graph contract, random weights).")
public final class SynthModelCommand implements Callable<Integer> {

  @Spec CommandSpec command;

  @Option(names = "--preset", defaultValue = "tiny",
      description = "tiny (fast tests) or smolvlm-256m (real SmolVLM-256M dimensions). Default: ${DEFAULT-VALUE}")
  String preset;

  @Option(names = "--out", required = true, description = "Folder to write (created if missing).")
  Path out;

  @Option(names = "--tile-size", description = "Vision tile side S (max_image_size.longest_edge).") Integer tileSize;
  @Option(names = "--longest-edge", description = "size.longest_edge of the image processor.") Integer longestEdge;
  @Option(names = "--patch", description = "Vision patch size.") Integer patch;
  @Option(names = "--scale-factor", description = "Pixel-shuffle scale factor.") Integer scaleFactor;
  @Option(names = "--layers", description = "Decoder layers.") Integer layers;
  @Option(names = "--heads", description = "Decoder attention heads.") Integer heads;
  @Option(names = "--kv-heads", description = "Decoder key/value heads.") Integer kvHeads;
  @Option(names = "--head-dim", description = "Decoder head size.") Integer headDim;
  @Option(names = "--hidden", description = "Decoder hidden size.") Integer hidden;
  @Option(names = "--intermediate", description = "Decoder MLP size.") Integer intermediate;
  @Option(names = "--vocab", description = "Vocabulary size (>= " + SynthSpec.MIN_VOCAB + ").") Integer vocab;
  @Option(names = "--vision-hidden", description = "Vision hidden size.") Integer visionHidden;
  @Option(names = "--vision-layers", description = "Vision layers.") Integer visionLayers;
  @Option(names = "--vision-heads", description = "Vision heads.") Integer visionHeads;
  @Option(names = "--rope-theta", description = "RoPE base.") Double ropeTheta;
  @Option(names = "--no-split", description = "Write do_image_splitting=false.") boolean noSplit;
  @Option(names = "--eos-bias", description = "Added to the <end_of_utterance> logit (makes generation stop early).")
  Float eosBias;
  @Option(names = "--seed", description = "Weight seed.") Long seed;
  @Option(names = "--external-data", negatable = true,
      description = "Write weights to .onnx_data files beside the graphs (default: on for smolvlm-256m).")
  Boolean externalData;
  @Option(names = "--variants", split = ",", paramLabel = "VARIANT",
      description = "ONNX variants to write besides fp32, comma-separated: fp16, int8, uint8, quantized (q8), q4, "
          + "q4f16, bnb4, or all. Each is derived from the fp32 weights as the hub's were (e.g. --variants q4,int8).")
  List<String> variants = List.of();
  @Option(names = "--fp16-decoder",
      description = "Same as --variants fp16 (kept for old scripts).")
  boolean fp16Decoder;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = command.commandLine().getErr();
    PrintWriter outWriter = command.commandLine().getOut();
    SynthSpec spec;
    Set<HubVariant> chosen;
    try {
      spec = spec();
      chosen = variants();
    } catch (IllegalArgumentException e) {
      err.println("synth-model: " + e.getMessage());
      return 2;
    }
    long start = System.nanoTime();
    if (fp16Decoder) {
      chosen.add(HubVariant.FP16);
    }
    SynthModelWriter.Written written = SynthModelWriter.write(spec, out, chosen);
    double seconds = (System.nanoTime() - start) / 1e9;
    outWriter.printf("synth-model: preset %s -> %s%n", preset, out.toAbsolutePath());
    outWriter.printf("  text: %d layers, hidden %d, %d heads / %d kv heads, head_dim %d, vocab %d%n",
        spec.textLayers(), spec.textHidden(), spec.textHeads(), spec.kvHeads(), spec.headDim(), spec.vocab());
    outWriter.printf("  vision: tile %d, patch %d, scale %d -> %d image tokens per tile; longest edge %d; split %s%n",
        spec.tileSize(), spec.patchSize(), spec.scaleFactor(), spec.imageSeqLen(), spec.longestEdge(),
        spec.imageSplitting());
    outWriter.printf("  variants: fp32%s%n", chosen.stream().filter(v -> v != HubVariant.FP32)
        .map(v -> ", " + v.id()).reduce("", String::concat));
    outWriter.printf("  eos id %d (bias %s), image token id %d, seed %d%n",
        spec.eosTokenId(), spec.eosBias(), spec.imageTokenId(), spec.seed());
    for (Path f : written.files()) {
      outWriter.printf("  %-40s %,14d bytes%n", f, Files.size(out.resolve(f)));
    }
    outWriter.printf(Locale.ROOT, "wrote %d files, %,d bytes in %.1f s%n",
        written.files().size(), written.totalBytes(), seconds);
    outWriter.flush();
    return 0;
  }

  private Set<HubVariant> variants() {
    Set<HubVariant> set = EnumSet.noneOf(HubVariant.class);
    for (String v : variants) {
      if (v.strip().equalsIgnoreCase("all")) {
        set.addAll(EnumSet.allOf(HubVariant.class));
      } else if (!v.isBlank()) {
        set.add(HubVariant.parse(v));
      }
    }
    return set;
  }

  private SynthSpec spec() {
    SynthSpec.Builder b = SynthSpec.preset(preset).toBuilder();
    ifGiven(tileSize, b::tileSize);
    ifGiven(longestEdge, b::longestEdge);
    ifGiven(patch, b::patchSize);
    ifGiven(scaleFactor, b::scaleFactor);
    ifGiven(layers, b::textLayers);
    ifGiven(heads, b::textHeads);
    ifGiven(kvHeads, b::kvHeads);
    ifGiven(headDim, b::headDim);
    ifGiven(hidden, b::textHidden);
    ifGiven(intermediate, b::intermediate);
    ifGiven(vocab, b::vocab);
    ifGiven(visionHidden, b::visionHidden);
    ifGiven(visionLayers, b::visionLayers);
    ifGiven(visionHeads, b::visionHeads);
    ifGiven(ropeTheta, b::ropeTheta);
    if (noSplit) {
      b.imageSplitting(false);
    }
    ifGiven(eosBias, b::eosBias);
    ifGiven(seed, b::seed);
    ifGiven(externalData, b::externalData);
    return b.build();
  }

  private static <T> void ifGiven(T value, Consumer<T> setter) {
    if (value != null) {
      setter.accept(value);
    }
  }
}
