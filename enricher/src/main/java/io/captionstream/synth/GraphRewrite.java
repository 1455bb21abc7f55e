package io.captionstream.synth;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.AttributeProto.AttributeType;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One pass over a graph's nodes in order: a {@link Rule} may replace a node by others (adding initializers), every
 * other node is kept. Initializers no longer referenced are dropped; the {@value #MS_DOMAIN} opset is imported when a
 * contrib op was emitted.
 */
final class GraphRewrite {

  static final String MS_DOMAIN = "com.microsoft";

  /** Rewrites one node; returns false to keep it unchanged. */
  interface Rule {
    boolean rewrite(NodeProto node, GraphRewrite g);
  }

  private final Map<String, TensorProto> initializers = new LinkedHashMap<>();
  private final List<NodeProto> nodes = new ArrayList<>();
  private final Set<String> names = new HashSet<>();
  private boolean contribOps;

  private GraphRewrite(GraphProto graph) {
    for (TensorProto t : graph.getInitializerList()) {
      initializers.put(t.getName(), t);
      names.add(t.getName());
    }
    for (NodeProto n : graph.getNodeList()) {
      names.addAll(n.getOutputList());
      names.add(n.getName());
    }
  }

  static ModelProto apply(ModelProto model, Rule rule) {
    GraphRewrite g = new GraphRewrite(model.getGraph());
    for (NodeProto n : model.getGraph().getNodeList()) {
      if (!rule.rewrite(n, g)) {
        g.nodes.add(n);
      }
    }
    return g.build(model);
  }

  /** The initializer called {@code name}, or null when it is computed. */
  TensorProto initializer(String name) {
    return initializers.get(name);
  }

  /** A float32 initializer of rank 2 (a projection weight [K, N]), or null. */
  TensorProto weightMatrix(String name) {
    TensorProto t = initializers.get(name);
    return t != null && Tensors.isFloat(t) && t.getDimsCount() == 2 ? t : null;
  }

  void put(TensorProto t) {
    initializers.put(t.getName(), t);
    names.add(t.getName());
  }

  /** A name not yet used in the graph, derived from {@code base}. */
  String fresh(String base) {
    String n = base;
    for (int i = 1; names.contains(n); i++) {
      n = base + "_" + i;
    }
    names.add(n);
    return n;
  }

  /** Appends a node (standard domain unless {@code domain} is given) and returns it. */
  NodeProto add(String domain, String op, List<String> inputs, List<String> outputs, AttributeProto... attrs) {
    NodeProto.Builder b = NodeProto.newBuilder().setOpType(op).setName(fresh(outputs.get(0) + "_" + op))
        .addAllInput(inputs).addAllOutput(outputs);
    if (domain != null) {
      b.setDomain(domain);
      contribOps |= domain.equals(MS_DOMAIN);
    }
    for (AttributeProto a : attrs) {
      b.addAttribute(a);
    }
    NodeProto n = b.build();
    nodes.add(n);
    return n;
  }

  NodeProto add(String op, List<String> inputs, List<String> outputs, AttributeProto... attrs) {
    return add(null, op, inputs, outputs, attrs);
  }

  static AttributeProto intAttr(String name, long value) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeType.INT).setI(value).build();
  }

  private ModelProto build(ModelProto model) {
    Set<String> used = new HashSet<>();
    nodes.forEach(n -> used.addAll(n.getInputList()));
    model.getGraph().getOutputList().forEach(o -> used.add(o.getName()));
    GraphProto.Builder graph = model.getGraph().toBuilder().clearNode().addAllNode(nodes).clearInitializer();
    initializers.values().stream().filter(t -> used.contains(t.getName())).forEach(graph::addInitializer);
    ModelProto.Builder out = model.toBuilder().setGraph(graph);
    boolean imported = model.getOpsetImportList().stream().anyMatch(o -> o.getDomain().equals(MS_DOMAIN));
    if (contribOps && !imported) {
      out.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(MS_DOMAIN).setVersion(1));
    }
    return out.build();
  }
}
