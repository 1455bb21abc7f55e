package io.captionstream.model;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One ONNX graph file of a model folder.
 *
 * @param graph        which graph
 * @param variant      which precision variant
 * @param onnx         the {@code .onnx} file (exists)
 * @param externalData the external-data files its tensors reference (all exist; empty if weights are inline)
 */
public record GraphFile(OnnxGraph graph, OnnxVariant variant, Path onnx, List<Path> externalData) {

  public GraphFile {
    Objects.requireNonNull(graph, "graph");
    Objects.requireNonNull(variant, "variant");
    Objects.requireNonNull(onnx, "onnx");
    externalData = List.copyOf(externalData);
  }
}
