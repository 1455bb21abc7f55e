package io.captionstream.synth;

import ai.onnx.proto.OnnxMl.ModelProto;
import io.captionstream.model.OnnxGraph;
import io.captionstream.model.OnnxVariant;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Predicate;

/**
 * Derives a variant of one graph from its fp32 file, the way transformers.js' {@code scripts/quantize.py} made the
 * hub's: the weights of the variant are the fp32 weights quantised (or halved), so the variants of one folder stay
 * close to each other.
 *
 * <table>
 *   <tr><th>variant</th><th>what</th></tr>
 *   <tr><td>int8, uint8, quantized (q8)</td><td>{@link DynamicQuantization}: int8 and q8 with int8 weights, uint8
 *   with uint8; a graph with a Conv (the vision encoder) gets uint8 weights and a ConvInteger in every 8-bit
 *   variant, as the script does (the CPU provider's ConvInteger needs uint8 weights)</td></tr>
 *   <tr><td>q4</td><td>{@link FourBitQuantization} MatMulNBits, block 32</td></tr>
 *   <tr><td>bnb4</td><td>{@link FourBitQuantization} MatMulBnb4, NF4, block 64</td></tr>
 *   <tr><td>fp16</td><td>{@link HalfPrecision}</td></tr>
 *   <tr><td>q4f16</td><td>q4, then fp16</td></tr>
 * </table>
 * The fp16 graphs keep float32 I/O except the decoder's cache and logits, which are float16 (the hub configs'
 * {@code kv_cache_dtype: {fp16: float16, q4f16: float16}}); the decoder's {@code inputs_embeds} stays float32.
 */
final class VariantWriter {

  private VariantWriter() {}

  /** Writes {@code onnxDir/<graph><suffix>.onnx} from {@code onnxDir/<graph>.onnx}; returns the bytes written. */
  static long write(Path onnxDir, OnnxGraph graph, OnnxVariant variant, boolean externalData) throws IOException {
    if (variant == OnnxVariant.FP32) {
      throw new IllegalArgumentException("fp32 is the source, not a derived variant");
    }
    ModelProto fp32 = OnnxModelFile.read(onnxDir.resolve(graph.fileName(OnnxVariant.FP32)));
    ModelProto derived = derive(fp32, graph, variant);
    derived = derived.toBuilder().setDocString(fp32.getDocString() + ", variant " + variant.id()).build();
    return OnnxModelFile.write(derived, onnxDir.resolve(graph.fileName(variant)), externalData);
  }

  static ModelProto derive(ModelProto fp32, OnnxGraph graph, OnnxVariant variant) {
    return switch (variant) {
      case FP32 -> fp32;
      case INT8 -> DynamicQuantization.apply(fp32, !hasConv(fp32));
      case UINT8 -> DynamicQuantization.apply(fp32, false);
      case QUANTIZED -> DynamicQuantization.apply(fp32, !hasConv(fp32));
      case Q4 -> FourBitQuantization.apply(fp32, FourBitQuantization.Kind.Q4);
      case BNB4 -> FourBitQuantization.apply(fp32, FourBitQuantization.Kind.BNB4);
      case FP16 -> HalfPrecision.apply(fp32, floatIo(graph));
      case Q4F16 -> HalfPrecision.apply(FourBitQuantization.apply(fp32, FourBitQuantization.Kind.Q4), floatIo(graph));
    };
  }

  /** The graph inputs/outputs that stay float32 in a half-precision graph. */
  static Predicate<String> floatIo(OnnxGraph graph) {
    return graph == OnnxGraph.DECODER ? "inputs_embeds"::equals : name -> true;
  }

  private static boolean hasConv(ModelProto model) {
    return model.getGraph().getNodeList().stream().anyMatch(n -> n.getOpType().equals("Conv"));
  }
}
