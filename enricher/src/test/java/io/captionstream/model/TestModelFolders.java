package io.captionstream.model;

import ai.onnx.proto.OnnxMl;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.captionstream.synth.SyntheticTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Writes small SmolVLM-shaped model folders for tests: the real file names and fields (what transformers.js and
 * {@link ModelFolder} read), a synthetic tokenizer, and placeholder ONNX files (valid protobuf, empty graphs).
 */
public final class TestModelFolders {

  private static final ObjectMapper JSON = new ObjectMapper();

  private TestModelFolders() {}

  /** JSON configs + tokenizer, no ONNX files: enough for the prompt stage and transformers.js' processor. */
  public static Path writeConfigs(Path dir, int vocab) {
    try {
      Files.createDirectories(dir);
      SyntheticTokenizer.write(dir, vocab, 20260522L);
      write(dir.resolve("config.json"), Map.of(
          "architectures", List.of("Idefics3ForConditionalGeneration"),
          "model_type", "idefics3",
          "image_token_id", SyntheticTokenizer.specialTokenId("<image>", vocab),
          "scale_factor", 4,
          "vocab_size", vocab,
          "text_config", Map.of("model_type", "llama", "hidden_size", 64, "num_hidden_layers", 2,
              "num_attention_heads", 4, "num_key_value_heads", 2, "head_dim", 16, "vocab_size", vocab,
              "max_position_embeddings", 8192, "rope_theta", 100000.0, "intermediate_size", 128),
          "vision_config", Map.of("model_type", "idefics3_vision", "hidden_size", 32, "image_size", 512,
              "patch_size", 16, "num_hidden_layers", 1, "num_attention_heads", 2)));
      write(dir.resolve("processor_config.json"), Map.of("image_seq_len", 64, "processor_class", "Idefics3Processor"));
      write(dir.resolve("preprocessor_config.json"), Map.ofEntries(
          Map.entry("image_processor_type", "Idefics3ImageProcessor"),
          Map.entry("processor_class", "Idefics3Processor"),
          Map.entry("do_convert_rgb", true), Map.entry("do_resize", true), Map.entry("do_image_splitting", true),
          Map.entry("do_rescale", true), Map.entry("rescale_factor", 1 / 255.0), Map.entry("do_normalize", true),
          Map.entry("do_pad", true), Map.entry("resample", 1),
          Map.entry("image_mean", List.of(0.5, 0.5, 0.5)), Map.entry("image_std", List.of(0.5, 0.5, 0.5)),
          Map.entry("size", Map.of("longest_edge", 2048)),
          Map.entry("max_image_size", Map.of("longest_edge", 512))));
      write(dir.resolve("generation_config.json"), Map.of("bos_token_id", 1, "pad_token_id", 2,
          "eos_token_id", SyntheticTokenizer.specialTokenId("<end_of_utterance>", vocab)));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Configs plus placeholder {@code onnx/} files of the given variants for all three graphs. */
  public static Path writeFolder(Path dir, int vocab, OnnxVariant... variants) {
    writeConfigs(dir, vocab);
    for (OnnxVariant v : variants) {
      for (OnnxGraph g : OnnxGraph.values()) {
        writeOnnx(dir.resolve("onnx").resolve(g.fileName(v)), null);
      }
    }
    return dir;
  }

  /** A valid ONNX model with an empty graph; with {@code externalData}, one initializer stored in that file. */
  public static void writeOnnx(Path file, String externalData) {
    OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder().setName("placeholder");
    if (externalData != null) {
      graph.addInitializer(OnnxMl.TensorProto.newBuilder().setName("w").addDims(4)
          .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
          .setDataLocation(OnnxMl.TensorProto.DataLocation.EXTERNAL)
          .addExternalData(OnnxMl.StringStringEntryProto.newBuilder().setKey("location").setValue(externalData))
          .addExternalData(OnnxMl.StringStringEntryProto.newBuilder().setKey("offset").setValue("0"))
          .addExternalData(OnnxMl.StringStringEntryProto.newBuilder().setKey("length").setValue("16")));
    }
    OnnxMl.ModelProto model = OnnxMl.ModelProto.newBuilder().setIrVersion(8)
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(17)).setGraph(graph).build();
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, model.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Rewrites one JSON file of {@code dir}, e.g. to remove a field. */
  public static void editJson(Path file, Consumer<ObjectNode> edit) {
    try {
      ObjectNode root = (ObjectNode) JSON.readTree(file.toFile());
      edit.accept(root);
      JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path file, Object value) throws IOException {
    JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), value);
  }
}
