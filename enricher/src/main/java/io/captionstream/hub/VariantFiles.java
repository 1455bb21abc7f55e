package io.captionstream.hub;

import io.captionstream.model.OnnxGraph;
import io.captionstream.model.OnnxVariant;
import io.captionstream.model.VariantSelection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The files of a SmolVLM repository one {@link OnnxVariant} needs. Each variant needs exactly three graphs
 * ({@code onnx/vision_encoder}, {@code onnx/embed_tokens}, {@code onnx/decoder_model_merged}) plus their optional
 * {@code .onnx_data} external-data files, and the shared config and tokenizer files.
 */
public final class VariantFiles {

  /** Config and tokenizer files the engine cannot start without. */
  public static final List<String> REQUIRED_CONFIG =
      List.of(
          "config.json",
          "preprocessor_config.json",
          "processor_config.json",
          "tokenizer.json",
          "tokenizer_config.json");

  /** Files the engine reads when present; a 404 for them is not an error. */
  public static final List<String> OPTIONAL_CONFIG =
      List.of("generation_config.json", "special_tokens_map.json", "chat_template.json", "chat_template.jinja");

  private VariantFiles() {}

  /** The path of one graph of {@code variant} inside the repository, e.g. {@code onnx/embed_tokens_q4.onnx}. */
  public static String graphFile(OnnxVariant variant, OnnxGraph graph) {
    return "onnx/" + graph.fileName(variant);
  }

  /** The three graphs of {@code variant}. */
  public static List<String> graphFiles(OnnxVariant variant) {
    return graphFiles(VariantSelection.all(variant));
  }

  /** The three graphs of a selection, each in its own variant ({@code q4,vision=fp32}). */
  public static List<String> graphFiles(VariantSelection variants) {
    return Arrays.stream(OnnxGraph.values()).map(g -> graphFile(variants.of(g), g)).toList();
  }

  /** Every file {@code variant} needs, in download order: configs first, each graph's external data before the graph.
   * */
  public static List<RepoFile> files(OnnxVariant variant) {
    return files(VariantSelection.all(variant));
  }

  /** Every file a selection needs, in download order (see {@link #files(OnnxVariant)}). */
  public static List<RepoFile> files(VariantSelection variant) {
    List<RepoFile> files = new ArrayList<>();
    REQUIRED_CONFIG.forEach(f -> files.add(new RepoFile(f, true)));
    OPTIONAL_CONFIG.forEach(f -> files.add(new RepoFile(f, false)));
    for (String graph : graphFiles(variant)) {
      // the data file goes first: a graph present in the cache then implies its data is too
      files.add(new RepoFile(graph + "_data", false));
      files.add(new RepoFile(graph, true));
    }
    return files;
  }

  /** Every file that must be present in a usable model folder. */
  public static List<String> requiredFiles(OnnxVariant variant) {
    return requiredFiles(VariantSelection.all(variant));
  }

  /** Every file that must be present in a usable model folder for this selection. */
  public static List<String> requiredFiles(VariantSelection variant) {
    List<String> required = new ArrayList<>(REQUIRED_CONFIG);
    required.addAll(graphFiles(variant));
    return required;
  }

  /** One file of a repository, and whether the model needs it. */
  public record RepoFile(String path, boolean required) {}
}
