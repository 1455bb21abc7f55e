package io.captionstream.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The precision/quantisation variants of the ONNX graphs, by their file-name suffix in the hub repos' {@code onnx/}.
 * */
public enum OnnxVariant {
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

  OnnxVariant(String suffix) {
    this.suffix = suffix;
  }

  /** The file-name suffix before {@code .onnx} ({@code ""} for fp32). */
  public String suffix() {
    return suffix;
  }

  /**
   * Whether the graphs quantise their activations at run time ({@code DynamicQuantizeLinear}): one scale over the
   * whole run, so what shares a run changes the numbers.
   */
  public boolean quantisesActivations() {
    return this == INT8 || this == UINT8 || this == QUANTIZED;
  }

  /** The lower-case name used on the command line and in events: {@code fp32}, {@code q4}, … */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a variant name, case-insensitively: {@code fp32}, {@code fp16}, {@code int8}, {@code uint8},
   * {@code quantized} (alias {@code q8}), {@code q4}, {@code q4f16}, {@code bnb4}; also as a file-name suffix
   * ({@code _q4}), and {@code none} for fp32. Per-graph selections ({@code q4,vision=fp32}) are
   * {@link VariantSelection#parse}'s: the one grammar every command and {@code model.variant} accept.
   */
  public static OnnxVariant parse(String name) {
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
    for (OnnxVariant v : values()) {
      if (v.id().equals(n)) {
        return v;
      }
    }
    throw new IllegalArgumentException("unknown ONNX variant '" + name + "', expected one of "
        + Arrays.stream(values()).map(OnnxVariant::id).collect(Collectors.joining(", ")) + " (or q8)");
  }
}
