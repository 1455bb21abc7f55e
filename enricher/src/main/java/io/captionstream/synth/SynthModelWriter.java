package io.captionstream.synth;

import io.captionstream.model.OnnxGraph;
import io.captionstream.model.OnnxVariant;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Writes a complete synthetic SmolVLM model folder laid out like the hub repo: the JSON configs, the tokenizer files
 * and {@code onnx/vision_encoder.onnx}, {@code onnx/embed_tokens.onnx}, {@code onnx/decoder_model_merged.onnx}
 * (plus {@code .onnx_data} beside them when the spec asks for external data), and any other variants of the three
 * graphs ({@code _int8}, {@code _q4}, …) derived from the fp32 weights by {@link VariantWriter}.
 */
public final class SynthModelWriter {

  private SynthModelWriter() {}

  /** What was written: every file with its size. */
  public record Written(Path dir, List<Path> files, long totalBytes) {}

  /** Writes the whole folder (configs, tokenizer, three graphs). */
  public static Written write(SynthSpec spec, Path dir) throws IOException {
    return write(spec, dir, false);
  }

  /** Writes the whole folder, plus the fp16 decoder variant when {@code withFp16Decoder}. */
  public static Written write(SynthSpec spec, Path dir, boolean withFp16Decoder) throws IOException {
    Written written = write(spec, dir, Set.of());
    if (withFp16Decoder) {
      writeFp16Decoder(spec, dir);
      return listing(dir);
    }
    return written;
  }

  /**
   * Writes the whole folder with the three graphs in fp32 (always: the source of the others) and in each of
   * {@code variants}.
   */
  public static Written write(SynthSpec spec, Path dir, Set<OnnxVariant> variants) throws IOException {
    Files.createDirectories(dir);
    ModelConfigFiles.write(spec, dir);
    SyntheticTokenizer.write(dir, spec.vocab(), spec.seed());
    Path onnx = writeGraphs(spec, dir);
    for (OnnxVariant v : variants.isEmpty() ? Set.<OnnxVariant>of() : EnumSet.copyOf(variants)) {
      if (v != OnnxVariant.FP32) {
        for (OnnxGraph g : OnnxGraph.values()) {
          VariantWriter.write(onnx, g, v, spec.externalData());
        }
      }
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
   * Adds {@code onnx/decoder_model_merged_fp16.onnx} (writing the fp32 decoder first when absent): the decoder's
   * fp16 variant, float16 weights, {@code past_key_values.*}, {@code present.*} and {@code logits}, float32
   * {@code inputs_embeds}. Returns its path.
   */
  public static Path writeFp16Decoder(SynthSpec spec, Path dir) throws IOException {
    Path onnx = dir.resolve("onnx");
    Files.createDirectories(onnx);
    if (!Files.isRegularFile(decoder(dir))) {
      DecoderGraph.write(spec, onnx);
    }
    VariantWriter.write(onnx, OnnxGraph.DECODER, OnnxVariant.FP16, spec.externalData());
    return onnx.resolve(OnnxGraph.DECODER.fileName(OnnxVariant.FP16));
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
