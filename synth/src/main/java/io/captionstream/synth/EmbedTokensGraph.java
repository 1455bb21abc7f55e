package io.captionstream.synth;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import java.io.IOException;
import java.nio.file.Path;

/** {@code embed_tokens.onnx}: {@code input_ids} int64 [batch, seq] → {@code inputs_embeds} float32 [batch, seq,
 * hidden]. */
final class EmbedTokensGraph {

  static final String FILE = "embed_tokens.onnx";

  private EmbedTokensGraph() {}

  static long write(SynthSpec spec, Path onnxDir) throws IOException {
    Path file = onnxDir.resolve(FILE);
    try (GraphBuilder g = new GraphBuilder("embed_tokens", file, new SeededWeights(spec.seed()), spec.externalData())) {
      String ids = g.input("input_ids", DataType.INT64, "batch_size", "sequence_length");
      // Unit-variance rows, like the residual stream of a trained model.
      String table = g.weight("model.embed_tokens.weight", 0f, (float) Math.sqrt(3.0), spec.vocab(), spec.textHidden());
      g.opNamed("Gather", "inputs_embeds", new String[] {table, ids}, "axis", 0);
      g.output("inputs_embeds", "inputs_embeds", DataType.FLOAT, "batch_size", "sequence_length", spec.textHidden());
      return g.write("Synthetic SmolVLM token embedding (random weights)");
    }
  }
}
