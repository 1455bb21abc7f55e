package io.captionstream.generate;

import ai.onnx.proto.OnnxMl.NodeProto;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The tensors of a graph that depend on a graph input (everything else is constant), for {@link LmHeadSlice}. */
final class DynamicTensors {

  private final Set<String> dynamic;

  private DynamicTensors(Set<String> dynamic) {
    this.dynamic = dynamic;
  }

  static DynamicTensors of(List<NodeProto> nodes, Set<String> inputs) {
    Set<String> dynamic = new HashSet<>(inputs);
    boolean grew = true;
    while (grew) {
      grew = false;
      for (NodeProto n : nodes) {
        boolean hasSubgraph = n.getAttributeList().stream().anyMatch(a -> a.hasG() || a.getGraphsCount() > 0);
        if (hasSubgraph || n.getInputList().stream().anyMatch(dynamic::contains)) {
          for (String o : n.getOutputList()) {
            grew |= dynamic.add(o);
          }
        }
      }
    }
    return new DynamicTensors(dynamic);
  }

  boolean contains(String tensor) {
    return dynamic.contains(tensor);
  }

  /** The node's one dynamic input, or {@code null} when it has none or several. */
  String onlyDynamicInput(NodeProto n) {
    List<String> d = n.getInputList().stream().filter(dynamic::contains).toList();
    return d.size() == 1 ? d.get(0) : null;
  }

  /** Whether input {@code index} is the node's only dynamic input. */
  boolean onlyDynamicInputIs(NodeProto n, int index) {
    for (int i = 0; i < n.getInputCount(); i++) {
      if ((i == index) != dynamic.contains(n.getInput(i))) {
        return false;
      }
    }
    return true;
  }
}
