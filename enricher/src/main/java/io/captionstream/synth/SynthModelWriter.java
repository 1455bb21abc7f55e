package io.captionstream.synth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes a complete synthetic SmolVLM model folder laid out like the hub repo: the JSON configs, the tokenizer files
 * and {@code onnx/vision_encoder.onnx}, {@code onnx/embed_tokens.onnx}, {@code onnx/decoder_model_merged.onnx}
 * (plus {@code .onnx_data} beside them when the spec asks for external data).
 */
public final class SynthModelWriter {

  private SynthModelWriter() {}

  /** What was written: every file with its size. */
  public record Written(Path dir, List<Path> files, long totalBytes) {}

  /** Writes the whole folder (configs, tokenizer, three graphs). */
  public static Written write(SynthSpec spec, Path dir) throws IOException {
    return write(spec, dir, false);
  }

  /** Writes the whole folder, plus the fp16-cache decoder variant when {@code withFp16Decoder}. */
  public static Written write(SynthSpec spec, Path dir, boolean withFp16Decoder) throws IOException {
    Files.createDirectories(dir);
    ModelConfigFiles.write(spec, dir);
    SyntheticTokenizer.write(dir, spec.vocab(), spec.seed());
    writeGraphs(spec, dir);
    if (withFp16Decoder) {
      writeFp16Decoder(spec, dir);
    }
    return listing(dir);
  }

  /** Writes only {@code onnx/} (the three graphs); returns the directory. */
  public static Path writeGraphs(SynthSpec spec, Path dir) throws IOException {
    Path onnx = dir.resolve("onnx");
    Files.createDirectories(onnx);
    EmbedTokensGraph.write(spec, onnx);
    VisionEncoderGraph.write(spec, onnx);
    DecoderGraph.write(spec, onnx);
    return onnx;
  }

  /** Paths of the three graphs inside a model folder. */
  public static Path visionEncoder(Path dir) {
    return dir.resolve("onnx").resolve(VisionEncoderGraph.FILE);
  }

  public static Path embedTokens(Path dir) {
    return dir.resolve("onnx").resolve(EmbedTokensGraph.FILE);
  }

  public static Path decoder(Path dir) {
    return dir.resolve("onnx").resolve(DecoderGraph.FILE);
  }

  /**
   * Adds {@code onnx/decoder_model_merged_fp16.onnx}: the same decoder (same weights) with float16
   * {@code past_key_values.*}, {@code present.*} and {@code logits}, float32 {@code inputs_embeds}, for testing an
   * engine's half-precision cache path. Returns its path.
   */
  public static Path writeFp16Decoder(SynthSpec spec, Path dir) throws IOException {
    Path onnx = dir.resolve("onnx");
    Files.createDirectories(onnx);
    DecoderGraph.writeFp16(spec, onnx);
    return onnx.resolve(DecoderGraph.FILE_FP16);
  }

  private static Written listing(Path dir) throws IOException {
    List<Path> files = new ArrayList<>();
    long total = 0;
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
        files.add(dir.relativize(p));
        total += Files.size(p);
      }
    }
    return new Written(dir, List.copyOf(files), total);
  }
}
