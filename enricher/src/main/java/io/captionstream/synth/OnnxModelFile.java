package io.captionstream.synth;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads an ONNX file with its weights inlined (external data pulled in) and writes one back, moving every weight of at
 * least {@value GraphBuilder#EXTERNAL_MIN_BYTES} bytes to {@code <file>.onnx_data} when asked, the layout
 * {@link GraphBuilder} writes.
 */
final class OnnxModelFile {

  private OnnxModelFile() {}

  /** The model of {@code onnx} with every external tensor's bytes read into {@code raw_data}. */
  static ModelProto read(Path onnx) throws IOException {
    ModelProto model;
    try (InputStream in = Files.newInputStream(onnx)) {
      model = ModelProto.parseFrom(in);
    }
    GraphProto.Builder graph = model.getGraph().toBuilder();
    Path dir = onnx.toAbsolutePath().getParent();
    for (int i = 0; i < graph.getInitializerCount(); i++) {
      TensorProto t = graph.getInitializer(i);
      if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
        graph.setInitializer(i, inline(t, dir));
      }
    }
    return model.toBuilder().setGraph(graph).build();
  }

  private static TensorProto inline(TensorProto t, Path dir) throws IOException {
    String location = null;
    long offset = 0;
    long length = -1;
    for (StringStringEntryProto e : t.getExternalDataList()) {
      switch (e.getKey()) {
        case "location" -> location = e.getValue();
        case "offset" -> offset = Long.parseLong(e.getValue());
        case "length" -> length = Long.parseLong(e.getValue());
        default -> { }
      }
    }
    if (location == null || length < 0) {
      throw new IOException("tensor " + t.getName() + " has incomplete external data " + t.getExternalDataList());
    }
    ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(length));
    try (FileChannel ch = FileChannel.open(dir.resolve(location), StandardOpenOption.READ)) {
      while (bytes.hasRemaining()) {
        if (ch.read(bytes, offset + bytes.position()) < 0) {
          throw new IOException(location + " ends before tensor " + t.getName());
        }
      }
    }
    bytes.flip();
    return t.toBuilder().clearExternalData().clearDataLocation().setRawData(ByteString.copyFrom(bytes)).build();
  }

  /** Writes {@code model} to {@code onnx} (large weights to {@code onnx_data} when {@code external}); returns bytes. */
  static long write(ModelProto model, Path onnx, boolean external) throws IOException {
    Path dataFile = GraphBuilder.externalDataFile(onnx);
    Files.deleteIfExists(dataFile);
    ModelProto out = model;
    long offset = 0;
    if (external) {
      GraphProto.Builder graph = model.getGraph().toBuilder();
      try (FileChannel ch = FileChannel.open(dataFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        for (int i = 0; i < graph.getInitializerCount(); i++) {
          TensorProto t = graph.getInitializer(i);
          int length = t.getRawData().size();
          if (length < GraphBuilder.EXTERNAL_MIN_BYTES) {
            continue;
          }
          ByteBuffer data = t.getRawData().asReadOnlyByteBuffer();
          while (data.hasRemaining()) {
            ch.write(data);
          }
          graph.setInitializer(i, t.toBuilder().clearRawData()
              .setDataLocation(TensorProto.DataLocation.EXTERNAL)
              .addExternalData(entry("location", dataFile.getFileName().toString()))
              .addExternalData(entry("offset", Long.toString(offset)))
              .addExternalData(entry("length", Integer.toString(length))));
          offset += length;
        }
      }
      if (offset == 0) {
        Files.deleteIfExists(dataFile);
      }
      out = model.toBuilder().setGraph(graph).build();
    }
    try (OutputStream stream = Files.newOutputStream(onnx)) {
      out.writeTo(stream);
    }
    return Files.size(onnx) + offset;
  }

  private static StringStringEntryProto entry(String key, String value) {
    return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
  }
}
