package io.captionstream.synth;

/**
 * Every dimension of a synthetic SmolVLM model folder. The graphs follow the real ONNX contract; only the sizes and the
 * (seeded, random) weights differ from the published model.
 *
 * @param tileSize         S: side of one vision tile ({@code max_image_size.longest_edge})
 * @param longestEdge      {@code size.longest_edge}: first resize target of the image processor
 * @param patchSize        vision patch side; S must be a multiple of it
 * @param scaleFactor      pixel-shuffle factor; (S / patch) must be a multiple of it
 * @param textLayers       decoder layers
 * @param textHeads        query heads
 * @param kvHeads          key/value heads (grouped-query attention: divides {@code textHeads})
 * @param headDim          size of one head (even, for RoPE)
 * @param textHidden       decoder hidden size (= embedding size)
 * @param intermediate     decoder MLP inner size
 * @param vocab            vocabulary size (logits width)
 * @param visionHidden     vision encoder hidden size
 * @param visionLayers     vision encoder layers
 * @param visionHeads      vision encoder heads (divides {@code visionHidden})
 * @param visionIntermediate vision MLP inner size
 * @param ropeTheta        RoPE base
 * @param imageSplitting   {@code do_image_splitting} written to the preprocessor config
 * @param eosBias          constant added to the {@code <end_of_utterance>} logit (0 = plain model)
 * @param seed             weight seed: same spec, same bytes
 * @param externalData     write large weights to {@code <graph>.onnx_data} beside each graph
 */
public record SynthSpec(
    int tileSize,
    int longestEdge,
    int patchSize,
    int scaleFactor,
    int textLayers,
    int textHeads,
    int kvHeads,
    int headDim,
    int textHidden,
    int intermediate,
    int vocab,
    int visionHidden,
    int visionLayers,
    int visionHeads,
    int visionIntermediate,
    double ropeTheta,
    boolean imageSplitting,
    float eosBias,
    long seed,
    boolean externalData) {

  /** Vocabulary of the real SmolVLM models. */
  static final int REAL_VOCAB = SyntheticTokenizer.REAL_VOCAB;
  /** Smallest vocabulary the synthetic tokenizer accepts. */
  public static final int MIN_VOCAB = SyntheticTokenizer.MIN_VOCAB;

  public SynthSpec {
    positive("tileSize", tileSize);
    positive("longestEdge", longestEdge);
    positive("patchSize", patchSize);
    positive("scaleFactor", scaleFactor);
    positive("textLayers", textLayers);
    positive("textHeads", textHeads);
    positive("kvHeads", kvHeads);
    positive("headDim", headDim);
    positive("textHidden", textHidden);
    positive("intermediate", intermediate);
    positive("visionHidden", visionHidden);
    positive("visionLayers", visionLayers);
    positive("visionHeads", visionHeads);
    positive("visionIntermediate", visionIntermediate);
    if (tileSize % patchSize != 0) {
      throw new IllegalArgumentException("tile size " + tileSize + " is not a multiple of patch size " + patchSize);
    }
    if ((tileSize / patchSize) % scaleFactor != 0) {
      throw new IllegalArgumentException(
          "patches per side " + tileSize / patchSize + " is not a multiple of scale factor " + scaleFactor);
    }
    if (textHeads % kvHeads != 0) {
      throw new IllegalArgumentException("heads " + textHeads + " is not a multiple of kv heads " + kvHeads);
    }
    if (headDim % 2 != 0) {
      throw new IllegalArgumentException("head_dim must be even for RoPE, got " + headDim);
    }
    if (visionHidden % visionHeads != 0) {
      throw new IllegalArgumentException("vision hidden " + visionHidden + " is not a multiple of heads "
          + visionHeads);
    }
    if (vocab < MIN_VOCAB) {
      throw new IllegalArgumentException("vocab must be at least " + MIN_VOCAB + " to hold the SmolVLM specials");
    }
    if (!(ropeTheta > 0)) {
      throw new IllegalArgumentException("rope theta must be positive");
    }
  }

  private static void positive(String name, int v) {
    if (v < 1) {
      throw new IllegalArgumentException(name + " must be positive, got " + v);
    }
  }

  /** Small and fast: 64-px tiles, 16 image tokens per tile, 2 decoder layers with grouped-query attention. */
  public static SynthSpec tiny() {
    return new SynthSpec(64, 256, 8, 2, 2, 4, 2, 16, 64, 128, 512, 32, 1, 2, 64, 100000.0, true, 0f, 42L, false);
  }

  /** The real dimensions of SmolVLM-256M-Instruct (contract §2), random weights, external weight files. */
  public static SynthSpec smolVlm256m() {
    return new SynthSpec(512, 2048, 16, 4, 30, 9, 3, 64, 576, 1536, REAL_VOCAB, 768, 12, 12, 3072, 100000.0, true, 0f,
        42L, true);
  }

  /** Looks up a preset by its command-line name ({@code tiny}, {@code smolvlm-256m}). */
  public static SynthSpec preset(String name) {
    return switch (name) {
      case "tiny" -> tiny();
      case "smolvlm-256m" -> smolVlm256m();
      default -> throw new IllegalArgumentException("unknown preset '" + name + "' (tiny, smolvlm-256m)");
    };
  }

  /** Patches per tile side. */
  public int patchesPerSide() {
    return tileSize / patchSize;
  }

  /** Image tokens one tile becomes: (S/patch)² / scale². */
  public int imageSeqLen() {
    int side = patchesPerSide() / scaleFactor;
    return side * side;
  }

  /** Query heads sharing one key/value head. */
  public int groupSize() {
    return textHeads / kvHeads;
  }

  public int visionHeadDim() {
    return visionHidden / visionHeads;
  }

  /** Id of a special token (e.g. {@code <image>}) in this vocabulary, as {@link SyntheticTokenizer} assigns it. */
  public int specialId(String token) {
    return SyntheticTokenizer.specialTokenId(token, vocab);
  }

  /** {@code <end_of_utterance>}: the stop token ({@code generation_config.eos_token_id}). */
  public int eosTokenId() {
    return specialId("<end_of_utterance>");
  }

  /** {@code <image>} ({@code config.image_token_id}). */
  public int imageTokenId() {
    return specialId("<image>");
  }

  /** A builder starting from this spec; validation happens once, in {@link Builder#build()}. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  public SynthSpec withEosBias(float v) {
    return toBuilder().eosBias(v).build();
  }

  public SynthSpec withSeed(long v) {
    return toBuilder().seed(v).build();
  }

  public SynthSpec withExternalData(boolean v) {
    return toBuilder().externalData(v).build();
  }

  /** Changes several dimensions at once (each alone could make an intermediate spec invalid). */
  public static final class Builder {
    private int tileSize, longestEdge, patchSize, scaleFactor, textLayers, textHeads, kvHeads, headDim, textHidden,
        intermediate, vocab, visionHidden, visionLayers, visionHeads, visionIntermediate;
    private double ropeTheta;
    private boolean imageSplitting, externalData;
    private float eosBias;
    private long seed;

    private Builder(SynthSpec s) {
      tileSize = s.tileSize; longestEdge = s.longestEdge; patchSize = s.patchSize; scaleFactor = s.scaleFactor;
      textLayers = s.textLayers; textHeads = s.textHeads; kvHeads = s.kvHeads; headDim = s.headDim;
      textHidden = s.textHidden; intermediate = s.intermediate; vocab = s.vocab; visionHidden = s.visionHidden;
      visionLayers = s.visionLayers; visionHeads = s.visionHeads; visionIntermediate = s.visionIntermediate;
      ropeTheta = s.ropeTheta; imageSplitting = s.imageSplitting; eosBias = s.eosBias; seed = s.seed;
      externalData = s.externalData;
    }

    public Builder tileSize(int v) { tileSize = v; return this; }
    public Builder longestEdge(int v) { longestEdge = v; return this; }
    public Builder patchSize(int v) { patchSize = v; return this; }
    public Builder scaleFactor(int v) { scaleFactor = v; return this; }
    public Builder textLayers(int v) { textLayers = v; return this; }
    public Builder textHeads(int v) { textHeads = v; return this; }
    public Builder kvHeads(int v) { kvHeads = v; return this; }
    public Builder headDim(int v) { headDim = v; return this; }
    public Builder textHidden(int v) { textHidden = v; return this; }
    public Builder intermediate(int v) { intermediate = v; return this; }
    public Builder vocab(int v) { vocab = v; return this; }
    public Builder visionHidden(int v) { visionHidden = v; return this; }
    public Builder visionLayers(int v) { visionLayers = v; return this; }
    public Builder visionHeads(int v) { visionHeads = v; return this; }
    public Builder visionIntermediate(int v) { visionIntermediate = v; return this; }
    public Builder ropeTheta(double v) { ropeTheta = v; return this; }
    public Builder imageSplitting(boolean v) { imageSplitting = v; return this; }
    public Builder eosBias(float v) { eosBias = v; return this; }
    public Builder seed(long v) { seed = v; return this; }
    public Builder externalData(boolean v) { externalData = v; return this; }

    public SynthSpec build() {
      return new SynthSpec(tileSize, longestEdge, patchSize, scaleFactor, textLayers, textHeads, kvHeads, headDim,
          textHidden, intermediate, vocab, visionHidden, visionLayers, visionHeads, visionIntermediate, ropeTheta,
          imageSplitting, eosBias, seed, externalData);
    }
  }
}
