package io.captionstream.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SmolVLM model folder laid out like the hub repo: the JSON configs, {@code tokenizer.json}, and {@code onnx/} with
 * the three graphs in one or more variants. Loading validates everything a caption needs, so a broken folder fails
 * at start-up with the file and field at fault ({@link ModelLoadException}), never on the first request.
 */
public final class ModelFolder {

  /** Optional file in a model folder: {@code {"model_id": "HuggingFaceTB/SmolVLM-256M-Instruct", "revision": …}}. */
  public static final String MARKER_FILE = "captionstream.json";

  private static final Pattern HUB_CACHE = Pattern.compile(".*models--([^/\\\\]+?)--([^/\\\\]+)[/\\\\]snapshots["
      + "/\\\\][^/\\\\]+$");

  private final Path dir;
  private final String modelId;
  private final Optional<String> revision;
  private final ModelConfig config;
  private final String chatTemplate;
  private final GraphFiles graphs;

  private ModelFolder(Path dir, String modelId, Optional<String> revision, ModelConfig config, String chatTemplate,
      GraphFiles graphs) {
    this.dir = dir;
    this.modelId = modelId;
    this.revision = revision;
    this.config = config;
    this.chatTemplate = chatTemplate;
    this.graphs = graphs;
  }

  /** Loads the fp32 graphs; the model id comes from {@value #MARKER_FILE}, a hub cache path or the folder name. */
  public static ModelFolder load(Path dir) {
    return load(dir, VariantSelection.defaults(), null);
  }

  public static ModelFolder load(Path dir, VariantSelection variants) {
    return load(dir, variants, null);
  }

  /**
   * @param variants which ONNX variant each graph uses
   * @param modelId  the id reported in events; {@code null} = from {@value #MARKER_FILE} ({@code model_id}), else
   *                 {@code org/name} of a hub cache snapshot path ({@code models--org--name/snapshots/rev}), else the
   *                 folder name
   * @throws ModelLoadException naming the missing or invalid file and field
   */
  public static ModelFolder load(Path dir, VariantSelection variants, String modelId) {
    Objects.requireNonNull(variants, "variants");
    Path abs = dir.toAbsolutePath().normalize();
    if (!Files.isDirectory(abs)) {
      throw new ModelLoadException(abs, null, "model folder does not exist");
    }
    ModelConfig config = ConfigFiles.read(abs);
    requireFile(abs.resolve(ConfigFiles.TOKENIZER));
    String template = ConfigFiles.chatTemplate(abs);
    GraphFiles graphs = new GraphFiles(graph(abs, OnnxGraph.VISION_ENCODER, variants),
        graph(abs, OnnxGraph.EMBED_TOKENS, variants), graph(abs, OnnxGraph.DECODER, variants));
    Optional<JsonFile> marker = JsonFile.readIfPresent(abs.resolve(MARKER_FILE));
    String id = modelId != null && !modelId.isBlank() ? modelId
        : marker.flatMap(m -> m.optString("model_id")).orElseGet(() -> idFromPath(abs));
    Optional<String> revision = marker.flatMap(m -> m.optString("revision"))
        .or(() -> hubRevision(abs));
    return new ModelFolder(abs, id, revision, config, template, graphs);
  }

  private static GraphFile graph(Path dir, OnnxGraph graph, VariantSelection variants) {
    OnnxVariant variant = variants.of(graph);
    Path onnx = dir.resolve("onnx").resolve(graph.fileName(variant));
    if (!Files.isRegularFile(onnx)) {
      throw new ModelLoadException(onnx, null, "ONNX file for " + graph.key() + " variant " + variant.id()
          + " is missing; variants present: " + availableVariants(dir).getOrDefault(graph, List.of()).stream()
              .map(OnnxVariant::id).toList());
    }
    return new GraphFile(graph, variant, onnx, ExternalData.check(onnx));
  }

  private static void requireFile(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ModelLoadException(file, null, "required file is missing");
    }
  }

  /** The variants present in {@code dir/onnx} for each graph (by file name; not validated). */
  public static Map<OnnxGraph, List<OnnxVariant>> availableVariants(Path dir) {
    Map<OnnxGraph, List<OnnxVariant>> out = new EnumMap<>(OnnxGraph.class);
    for (OnnxGraph g : OnnxGraph.values()) {
      List<OnnxVariant> present = new ArrayList<>();
      for (OnnxVariant v : OnnxVariant.values()) {
        if (Files.isRegularFile(dir.resolve("onnx").resolve(g.fileName(v)))) {
          present.add(v);
        }
      }
      out.put(g, List.copyOf(present));
    }
    return out;
  }

  static String idFromPath(Path abs) {
    Matcher m = HUB_CACHE.matcher(abs.toString());
    if (m.matches()) {
      return m.group(1) + "/" + m.group(2);
    }
    Path name = abs.getFileName();
    return name == null ? abs.toString() : name.toString();
  }

  private static Optional<String> hubRevision(Path abs) {
    return HUB_CACHE.matcher(abs.toString()).matches() ? Optional.of(abs.getFileName().toString()) : Optional.empty();
  }

  public Path dir() {
    return dir;
  }

  /** The id reported as {@code model.id} in caption events. */
  public String modelId() {
    return modelId;
  }

  /** The hub revision, if {@value #MARKER_FILE} or the cache path tells it. */
  public Optional<String> revision() {
    return revision;
  }

  public ModelConfig config() {
    return config;
  }

  public PreprocessorConfig preprocessor() {
    return config.preprocessor();
  }

  public GraphFiles graphs() {
    return graphs;
  }

  public VariantSelection variants() {
    return graphs.variants();
  }

  public Path tokenizerFile() {
    return dir.resolve(ConfigFiles.TOKENIZER);
  }

  /** The folder's Jinja chat template, as written by the model's authors. */
  public String chatTemplate() {
    return chatTemplate;
  }

  @Override
  public String toString() {
    return "ModelFolder[" + modelId + " " + variants() + " at " + dir + "]";
  }
}
