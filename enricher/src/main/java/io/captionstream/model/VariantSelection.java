package io.captionstream.model;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Which ONNX variant to load for each graph, e.g. the vision encoder in fp32 and the decoder in q4.
 *
 * @param vision  variant of {@code vision_encoder}
 * @param embed   variant of {@code embed_tokens}
 * @param decoder variant of {@code decoder_model_merged}
 */
public record VariantSelection(OnnxVariant vision, OnnxVariant embed, OnnxVariant decoder) {

  public VariantSelection {
    Objects.requireNonNull(vision, "vision");
    Objects.requireNonNull(embed, "embed");
    Objects.requireNonNull(decoder, "decoder");
  }

  /** The same variant for all three graphs. */
  public static VariantSelection all(OnnxVariant v) {
    return new VariantSelection(v, v, v);
  }

  /** Whether every graph has the same variant. */
  public boolean uniform() {
    return vision == embed && embed == decoder;
  }

  /** The distinct variants used, vision's first. */
  public List<OnnxVariant> distinct() {
    return Stream.of(vision, embed, decoder).distinct().toList();
  }

  /** fp32 everywhere (the files without suffix). */
  public static VariantSelection defaults() {
    return all(OnnxVariant.FP32);
  }

  /**
   * Parses {@code q4} (all graphs) or per-graph overrides {@code vision=fp32,embed=fp32,decoder=q4}; graphs not named
   * in the list take the first bare variant in it, else fp32. Example: {@code q4,vision=fp32}.
   */
  public static VariantSelection parse(String spec) {
    if (spec == null || spec.isBlank()) {
      return defaults();
    }
    OnnxVariant base = OnnxVariant.FP32;
    Map<OnnxGraph, OnnxVariant> per = new EnumMap<>(OnnxGraph.class);
    boolean baseSeen = false;
    for (String part : spec.split(",")) {
      String p = part.strip();
      if (p.isEmpty()) {
        continue;
      }
      int eq = p.indexOf('=');
      if (eq < 0) {
        if (baseSeen) {
          throw new IllegalArgumentException("more than one default variant in '" + spec + "'");
        }
        base = OnnxVariant.parse(p);
        baseSeen = true;
      } else {
        per.put(graphOf(p.substring(0, eq), spec), OnnxVariant.parse(p.substring(eq + 1)));
      }
    }
    return new VariantSelection(per.getOrDefault(OnnxGraph.VISION_ENCODER, base),
        per.getOrDefault(OnnxGraph.EMBED_TOKENS, base), per.getOrDefault(OnnxGraph.DECODER, base));
  }

  private static OnnxGraph graphOf(String key, String spec) {
    String k = key.strip().toLowerCase(Locale.ROOT);
    for (OnnxGraph g : OnnxGraph.values()) {
      if (g.key().equals(k) || g.baseName().equals(k)) {
        return g;
      }
    }
    throw new IllegalArgumentException("unknown graph '" + key + "' in '" + spec
        + "', expected vision, embed or decoder");
  }

  public OnnxVariant of(OnnxGraph graph) {
    return switch (graph) {
      case VISION_ENCODER -> vision;
      case EMBED_TOKENS -> embed;
      case DECODER -> decoder;
    };
  }

  /** {@code q4} when uniform, else {@code vision=fp32,embed=fp32,decoder=q4}: the value reported as model variant. */
  @Override
  public String toString() {
    if (uniform()) {
      return vision.id();
    }
    return "vision=" + vision.id() + ",embed=" + embed.id() + ",decoder=" + decoder.id();
  }
}
