package io.captionstream.model;

import ai.onnx.proto.OnnxMl;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds the external-data files an ONNX file references and checks they exist, so a half-downloaded folder fails at
 * load with the missing file's name instead of deep inside ORT.
 *
 * <p>Files with external data are small (the weights live elsewhere); a file above {@link #PARSE_LIMIT_BYTES} holds
 * its weights inline (protobuf caps a message at 2 GiB) and is not parsed.
 */
final class ExternalData {

  static final long PARSE_LIMIT_BYTES = 256L << 20;

  private ExternalData() {}

  /** The existing external-data files of {@code onnx}; throws naming the first missing one. */
  static List<Path> check(Path onnx) {
    try {
      if (Files.size(onnx) > PARSE_LIMIT_BYTES) {
        return List.of();
      }
      OnnxMl.ModelProto model;
      try (InputStream in = Files.newInputStream(onnx)) {
        model = OnnxMl.ModelProto.parseFrom(in);
      }
      Set<String> locations = new LinkedHashSet<>();
      collect(model.getGraph(), locations);
      Path dir = onnx.toAbsolutePath().getParent();
      List<Path> files = locations.stream().map(dir::resolve).toList();
      for (Path f : files) {
        if (!Files.isRegularFile(f)) {
          throw new ModelLoadException(onnx, null, "external data file " + f.getFileName() + " is missing");
        }
      }
      return files;
    } catch (IOException e) {
      throw new ModelLoadException(onnx, null, "cannot read ONNX file: " + e.getMessage(), e);
    }
  }

  private static void collect(OnnxMl.GraphProto graph, Set<String> locations) {
    for (OnnxMl.TensorProto t : graph.getInitializerList()) {
      if (t.getDataLocation() == OnnxMl.TensorProto.DataLocation.EXTERNAL) {
        for (OnnxMl.StringStringEntryProto e : t.getExternalDataList()) {
          if (e.getKey().equals("location")) {
            locations.add(e.getValue());
          }
        }
      }
    }
    for (OnnxMl.NodeProto n : graph.getNodeList()) {
      for (OnnxMl.AttributeProto a : n.getAttributeList()) {
        if (a.hasG()) {
          collect(a.getG(), locations);
        }
        for (OnnxMl.GraphProto g : a.getGraphsList()) {
          collect(g, locations);
        }
      }
    }
  }
}
