package io.captionstream.hub;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The ONNX exports a SmolVLM repository ships, by file-name suffix. Each variant needs exactly three graphs
 * ({@code onnx/vision_encoder}, {@code onnx/embed_tokens}, {@code onnx/decoder_model_merged}) plus their optional
 * {@code .onnx_data} external-data files, and the shared config and tokenizer files.
 */
public enum ModelVariant {
  FP32(""),
  FP16("_fp16"),
  INT8("_int8"),
  UINT8("_uint8"),
  QUANTIZED("_quantized"),
  Q4("_q4"),
  Q4F16("_q4f16"),
  BNB4("_bnb4");

  /** Graphs every variant needs, without suffix or extension. */
  public static final List<String> GRAPHS = List.of("vision_encoder", "embed_tokens", "decoder_model_merged");

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

  private final String suffix;

  ModelVariant(String suffix) {
    this.suffix = suffix;
  }

  public String suffix() {
    return suffix;
  }

  /** The name used on the command line and in events: {@code fp32}, {@code q4f16}, ... */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The path of one graph of this variant inside the repository, e.g. {@code onnx/embed_tokens_q4.onnx}. */
  public String graphFile(String graph) {
    return "onnx/" + graph + suffix + ".onnx";
  }

  /** The three graphs of this variant. */
  public List<String> graphFiles() {
    return GRAPHS.stream().map(this::graphFile).toList();
  }

  /** Every file this variant needs, in download order: configs first, each graph's external data before the graph. */
  public List<RepoFile> files() {
    List<RepoFile> files = new ArrayList<>();
    REQUIRED_CONFIG.forEach(f -> files.add(new RepoFile(f, true)));
    OPTIONAL_CONFIG.forEach(f -> files.add(new RepoFile(f, false)));
    for (String graph : graphFiles()) {
      // the data file goes first: a graph present in the cache then implies its data is too
      files.add(new RepoFile(graph + "_data", false));
      files.add(new RepoFile(graph, true));
    }
    return files;
  }

  /** Every file that must be present in a usable model folder. */
  public List<String> requiredFiles() {
    List<String> required = new ArrayList<>(REQUIRED_CONFIG);
    required.addAll(graphFiles());
    return required;
  }

  /** Parses {@code fp32}, {@code Q4F16}, {@code _q4}, ... */
  public static ModelVariant parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.startsWith("_")) {
      t = t.substring(1);
    }
    if (t.isEmpty() || t.equals("fp32") || t.equals("none")) {
      return FP32;
    }
    for (ModelVariant v : values()) {
      if (v.id().equals(t)) {
        return v;
      }
    }
    throw new IllegalArgumentException(
        "unknown model variant '" + text + "'; one of " + List.of(values()).stream().map(ModelVariant::id).toList());
  }

  /** One file of a repository, and whether the model needs it. */
  public record RepoFile(String path, boolean required) {}
}
