package io.captionstream.synth;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The float16 conversion ({@code float16.convert_float_to_float16(keep_io_types=True)}): every float32 initializer
 * becomes float16 (clamped to ±65504), every {@code Cast(to=float)} casts to float16, and each float32 graph input and
 * output named in {@code keepFloat} stays float32 through a {@code Cast} beside it; the other float32 inputs and
 * outputs (the decoder's cache and logits) are declared float16. Ops without a float16 CPU kernel still run: ONNX
 * Runtime inserts the casts around them.
 */
final class HalfPrecision {

  private static final String SUFFIX = "_fp16";

  private HalfPrecision() {}

  static ModelProto apply(ModelProto model, Predicate<String> keepFloat) {
    GraphProto source = model.getGraph();
    GraphProto.Builder graph = source.toBuilder().clearNode().clearInitializer().clearValueInfo();
    for (TensorProto t : source.getInitializerList()) {
      graph.addInitializer(Tensors.isFloat(t) ? Tensors.toFloat16(t) : t);
    }
    List<NodeProto> nodes = new ArrayList<>();
    for (int i = 0; i < graph.getInputCount(); i++) {
      ValueInfoProto in = graph.getInput(i);
      if (!isFloat(in)) {
        continue;
      }
      if (keepFloat.test(in.getName())) {
        nodes.add(cast(in.getName(), in.getName() + SUFFIX, DataType.FLOAT16));
      } else {
        graph.setInput(i, retype(in));
      }
    }
    List<NodeProto> tail = new ArrayList<>();
    Set<String> kept = new HashSet<>();
    for (int i = 0; i < graph.getOutputCount(); i++) {
      ValueInfoProto out = graph.getOutput(i);
      if (!isFloat(out)) {
        continue;
      }
      if (keepFloat.test(out.getName())) {
        kept.add(out.getName());
        tail.add(cast(out.getName() + SUFFIX, out.getName(), DataType.FLOAT));
      } else {
        graph.setOutput(i, retype(out));
      }
    }
    Set<String> castInputs = new HashSet<>();
    for (ValueInfoProto in : graph.getInputList()) {
      if (isFloat(in)) {
        castInputs.add(in.getName());
      }
    }
    for (NodeProto n : source.getNodeList()) {
      NodeProto.Builder b = n.toBuilder();
      for (int j = 0; j < b.getInputCount(); j++) {
        String name = b.getInput(j);
        if (castInputs.contains(name) || kept.contains(name)) {
          b.setInput(j, name + SUFFIX);
        }
      }
      for (int j = 0; j < b.getOutputCount(); j++) {
        if (kept.contains(b.getOutput(j))) {
          b.setOutput(j, b.getOutput(j) + SUFFIX);
        }
      }
      if (n.getOpType().equals("Cast")) {
        for (int j = 0; j < b.getAttributeCount(); j++) {
          AttributeProto a = b.getAttribute(j);
          if (a.getName().equals("to") && a.getI() == DataType.FLOAT.getNumber()) {
            b.setAttribute(j, a.toBuilder().setI(DataType.FLOAT16.getNumber()));
          }
        }
      }
      nodes.add(b.build());
    }
    nodes.addAll(tail);
    graph.addAllNode(nodes);
    return model.toBuilder().setGraph(graph).build();
  }

  private static boolean isFloat(ValueInfoProto v) {
    return v.getType().getTensorType().getElemType() == DataType.FLOAT.getNumber();
  }

  private static ValueInfoProto retype(ValueInfoProto v) {
    TypeProto.Tensor.Builder t = v.getType().getTensorType().toBuilder().setElemType(DataType.FLOAT16.getNumber());
    return v.toBuilder().setType(TypeProto.newBuilder().setTensorType(t)).build();
  }

  private static NodeProto cast(String from, String to, DataType type) {
    return NodeProto.newBuilder().setOpType("Cast").setName(to + "_Cast").addInput(from).addOutput(to)
        .addAttribute(GraphRewrite.intAttr("to", type.getNumber())).build();
  }
}
