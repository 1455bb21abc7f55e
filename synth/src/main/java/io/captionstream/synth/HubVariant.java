package io.captionstream.synth;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The precision/quantisation variants of the hub's ONNX graphs, by their file-name suffix in {@code onnx/}.
 *
 * <p>The kit states this part of the hub contract on its own, independently of the engine's reader
 * ({@code io.captionstream.model.OnnxVariant}), so that the kit does not depend on the engine. The enricher's
 * {@code HubTablesAgreeTest} checks that both tables have the same names, ids and suffixes, so they cannot drift.
 */
public enum HubVariant {
  FP32(""),
  FP16("_fp16"),
  INT8("_int8"),
  UINT8("_uint8"),
  /** 8-bit dynamic quantisation ("q8"). */
  QUANTIZED("_quantized"),
  Q4("_q4"),
  Q4F16("_q4f16"),
  BNB4("_bnb4");

  private final String suffix;

  HubVariant(String suffix) {
    this.suffix = suffix;
  }

  /** The file-name suffix before {@code .onnx} ({@code ""} for fp32). */
  public String suffix() {
    return suffix;
  }

  /** The lower-case name used on the command line: {@code fp32}, {@code q4}, … */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a variant name case-insensitively ({@code q4}, {@code int8}, …), also as a file-name suffix
   * ({@code _q4}), with {@code q8} for {@code quantized} and {@code none} for fp32.
   */
  public static HubVariant parse(String name) {
    String n = name.strip().toLowerCase(Locale.ROOT);
    if (n.startsWith("_")) {
      n = n.substring(1);
    }
    if (n.equals("q8")) {
      return QUANTIZED;
    }
    if (n.equals("none")) {
      return FP32;
    }
    for (HubVariant v : values()) {
      if (v.id().equals(n)) {
        return v;
      }
    }
    throw new IllegalArgumentException("unknown ONNX variant '" + name + "', expected one of "
        + Arrays.stream(values()).map(HubVariant::id).collect(Collectors.joining(", ")) + " (or q8)");
  }
}
