package io.captionstream.generate;

import ai.onnxruntime.OrtEnvironment;
import io.captionstream.CaptionException;
import io.captionstream.image.ImageDecoder;
import io.captionstream.image.ImagePreprocessor;
import io.captionstream.image.PixelBatch;
import io.captionstream.image.RgbImage;
import io.captionstream.model.GraphContract;
import io.captionstream.model.GraphContractException;
import io.captionstream.model.GraphFiles;
import io.captionstream.model.ModelDigest;
import io.captionstream.model.ModelFolder;
import io.captionstream.model.PreprocessorConfig;
import io.captionstream.model.VariantSelection;
import io.captionstream.prompt.Prompt;
import io.captionstream.prompt.PromptBuilder;
import io.captionstream.prompt.SmolTokenizer;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * A model loaded once per process and shared by every worker: the folder's configs, tokenizer, chat template, image
 * decoder and preprocessor, a timer for deadlines, and one ONNX Runtime session set per session configuration
 * (one copy of the weights however many workers). Thread-safe. Each worker gets its own captioner through
 * {@link #newCaptioner(EngineSettings)}:
 *
 * <pre>{@code
 * CaptionModel model = CaptionModel.load(Path.of("models/SmolVLM-256M-Instruct"), "fp32");
 * ImageCaptioner worker = model.newCaptioner(EngineSettings.threads(2)); // one per worker thread
 * CaptionResult r = worker.caption(jpegBytes, CaptionOptions.defaults());
 * }</pre>
 */
public final class CaptionModel implements AutoCloseable {

  private static final String END_OF_UTTERANCE = "<end_of_utterance>";

  private final ModelFolder folder;
  private final SmolTokenizer tokenizer;
  private final PromptBuilder prompts;
  private final ImageDecoder imageDecoder = new ImageDecoder();
  private final ImagePreprocessor preprocessor;
  private final long imageTokenId;
  private final long[] stopTokenIds;
  private final ScheduledThreadPoolExecutor scheduler;
  private final OrtEnvironment env;
  private final SharedSessions sessions = new SharedSessions(this::open);
  private final String fingerprint;

  private CaptionModel(ModelFolder folder, SmolTokenizer tokenizer) {
    this.folder = folder;
    this.tokenizer = tokenizer;
    this.prompts = PromptBuilder.of(folder, tokenizer);
    this.preprocessor = new ImagePreprocessor(folder.preprocessor());
    this.imageTokenId = folder.config().imageTokenId();
    Set<Long> stops = new LinkedHashSet<>();
    folder.config().eosTokenIds().forEach(id -> stops.add(id.longValue()));
    try {
      stops.add(tokenizer.idOf(END_OF_UTTERANCE));
    } catch (IllegalArgumentException notInVocabulary) {
      // generation_config's eos ids alone
    }
    if (stops.isEmpty()) {
      throw new GraphContractException(folder.dir().resolve("generation_config.json") + ": no eos_token_id and no "
          + END_OF_UTTERANCE + " token in tokenizer.json: generation could never stop");
    }
    this.stopTokenIds = stops.stream().mapToLong(Long::longValue).toArray();
    this.scheduler = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "caption-deadlines");
      t.setDaemon(true);
      return t;
    });
    this.scheduler.setRemoveOnCancelPolicy(true);
    this.env = OrtEnvironment.getEnvironment();
    this.fingerprint = ModelDigest.of(folder);
  }

  /**
   * Loads and validates a model folder (configs, tokenizer, graph files of the variant).
   *
   * @param variant {@code fp32}, {@code q4}, or per graph {@code q4,vision=fp32} (see {@link VariantSelection#parse})
   * @throws io.captionstream.model.ModelLoadException naming the missing or invalid file and field
   */
  public static CaptionModel load(Path dir, String variant) {
    ModelFolder folder = ModelFolder.load(dir, VariantSelection.parse(variant == null ? "fp32" : variant));
    SmolTokenizer tokenizer = SmolTokenizer.load(folder.tokenizerFile());
    try {
      return new CaptionModel(folder, tokenizer);
    } catch (RuntimeException e) {
      tokenizer.close();
      throw e;
    }
  }

  /**
   * A worker's captioner: its own decoder state (KV cache, pinned buffers, run options) over the session set this
   * model shares among all captioners of the same {@code settings} (opened, and checked against the configs, by the
   * first). Close it when the worker stops; the sessions close with the last captioner.
   *
   * @throws GraphContractException when the graphs break the contract or disagree with {@code config.json}
   */
  public Captioner newCaptioner(EngineSettings settings) {
    SharedSessions.Lease lease = sessions.acquire(settings);
    try {
      DecoderParts parts = DecoderParts.exact(lease.sessions(), imageTokenId, visionTilesPerRun(settings));
      return new Captioner(this, lease, new GreedyDecoder(parts, stopTokenIds));
    } catch (RuntimeException e) {
      lease.close();
      throw e;
    }
  }

  /**
   * Tiles per vision run: the setting, except for a vision encoder that quantises its activations per run (8-bit
   * variants), whose features depend on which tiles share a run; there all tiles of an image go in one run, as in
   * transformers.js, so the ids are the reference's.
   */
  public int visionTilesPerRun(EngineSettings settings) {
    return folder.variants().vision().quantisesActivations() ? 0 : settings.visionTilesPerRun();
  }

  /** The shared session sets (the parity suite's negative controls build their own decoders over them). */
  SharedSessions sessions() {
    return sessions;
  }

  private SessionSet open(EngineSettings settings) {
    GraphFiles g = folder.graphs();
    SessionSet set = SessionSet.open(env, g.visionEncoder().onnx(), g.embedTokens().onnx(), g.decoder().onnx(),
        settings);
    try {
      GraphContract c = set.contract();
      c.checkAgainst(folder.config().text(), folder.dir().resolve("config.json"));
      int tile = folder.preprocessor().tileSize();
      if (c.tileSize() > 0 && c.tileSize() != tile) {
        throw new GraphContractException("preprocessor_config.json: max_image_size.longest_edge = " + tile
            + " but " + g.visionEncoder().onnx().getFileName() + " declares tiles of " + c.tileSize());
      }
      return set;
    } catch (RuntimeException e) {
      set.close();
      throw e;
    }
  }

  /**
   * Decodes, preprocesses and builds the prompt for one image: everything before the graphs. Thread-safe.
   *
   * @throws CaptionException {@code UNSUPPORTED_FORMAT}, {@code CORRUPT_IMAGE}, {@code TOO_LARGE} from decoding
   */
  public PreparedImage prepare(byte[] encodedImage, CaptionOptions options) {
    long t0 = System.nanoTime();
    RgbImage image = imageDecoder.decode(encodedImage);
    long t1 = System.nanoTime();
    PreprocessorConfig cfg = folder.preprocessor();
    if (options.longestEdge() != null) {
      cfg = cfg.withLongestEdge(options.longestEdge());
    }
    if (options.split() != null) {
      cfg = cfg.withSplitting(options.split());
    }
    PixelBatch pixels = preprocessor.preprocess(image, cfg);
    Prompt prompt = prompts.build(options.promptOrDefault(), pixels.rows(), pixels.cols());
    long t2 = System.nanoTime();
    ModelInputs inputs = new ModelInputs(FloatBuffer.wrap(pixels.pixelValues()), pixels.pixelShape(), prompt.ids());
    return new PreparedImage(inputs, pixels.rows(), pixels.cols(), prompt.text(), prompt.imageTokenCount(),
        (t1 - t0) / 1e6, (t2 - t1) / 1e6);
  }

  /** The caption text of generated ids: special tokens skipped, leading space trimmed. */
  public String captionText(long[] ids) {
    return tokenizer.caption(ids);
  }

  public ModelFolder folder() {
    return folder;
  }

  public String modelId() {
    return folder.modelId();
  }

  public String variant() {
    return folder.variants().toString();
  }

  /** {@link ModelDigest} of the folder and its selected graphs, computed once at load. */
  public String fingerprint() {
    return fingerprint;
  }

  long imageTokenId() {
    return imageTokenId;
  }

  long[] stopTokenIds() {
    return stopTokenIds.clone();
  }

  ScheduledThreadPoolExecutor scheduler() {
    return scheduler;
  }

  @Override
  public void close() {
    sessions.close();
    scheduler.shutdownNow();
    tokenizer.close();
  }
}
