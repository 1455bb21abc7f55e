package io.captionstream.model;

import java.util.List;
import java.util.Objects;

/** The three graph files a caption needs, as selected by a {@link VariantSelection}. */
public record GraphFiles(GraphFile visionEncoder, GraphFile embedTokens, GraphFile decoder) {

  public GraphFiles {
    Objects.requireNonNull(visionEncoder, "visionEncoder");
    Objects.requireNonNull(embedTokens, "embedTokens");
    Objects.requireNonNull(decoder, "decoder");
  }

  public GraphFile of(OnnxGraph graph) {
    return switch (graph) {
      case VISION_ENCODER -> visionEncoder;
      case EMBED_TOKENS -> embedTokens;
      case DECODER -> decoder;
    };
  }

  public List<GraphFile> all() {
    return List.of(visionEncoder, embedTokens, decoder);
  }

  public VariantSelection variants() {
    return new VariantSelection(visionEncoder.variant(), embedTokens.variant(), decoder.variant());
  }
}
