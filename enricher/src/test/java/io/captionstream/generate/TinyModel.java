package io.captionstream.generate;

import ai.onnxruntime.OrtEnvironment;
import io.captionstream.model.OnnxVariant;
import io.captionstream.synth.HubVariant;
import io.captionstream.synth.SynthModelWriter;
import io.captionstream.synth.SynthSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

/** Test helper: a synthetic model folder on disk and hand-built inputs for it. */
final class TinyModel {

  final SynthSpec spec;
  final Path dir;

  private TinyModel(SynthSpec spec, Path dir) {
    this.spec = spec;
    this.dir = dir;
  }

  static TinyModel write(SynthSpec spec, Path dir) {
    return write(spec, dir, false);
  }

  /** With {@code fp16Decoder}, also {@code onnx/decoder_model_merged_fp16.onnx} (float16 cache and logits). */
  static TinyModel write(SynthSpec spec, Path dir, boolean fp16Decoder) {
    try {
      SynthModelWriter.write(spec, dir, fp16Decoder);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new TinyModel(spec, dir);
  }

  /** With every variant in {@code variants} written beside fp32 (as {@code synth-model --variants}). */
  static TinyModel write(SynthSpec spec, Path dir, Set<OnnxVariant> variants) {
    try {
      // same constant names in both tables (HubTablesAgreeTest)
      SynthModelWriter.write(spec, dir, variants.stream().map(v -> HubVariant.valueOf(v.name()))
          .collect(Collectors.toSet()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new TinyModel(spec, dir);
  }

  SessionSet open() {
    return SessionSet.open(OrtEnvironment.getEnvironment(), SynthModelWriter.visionEncoder(dir),
        SynthModelWriter.embedTokens(dir), SynthModelWriter.decoder(dir), EngineSettings.threads(1));
  }

  GreedyDecoder decoder(SessionSet s, DecodeVariant variant) {
    return variant.decoder(s, spec.imageTokenId(), new long[] {spec.eosTokenId()});
  }

  /** Seeded pixels in [-1, 1] for {@code tiles} tiles and a prompt: a few text ids around the image ids. */
  ModelInputs inputs(int tiles, long seed, long... textIds) {
    int s = spec.tileSize();
    int n = tiles * 3 * s * s;
    FloatBuffer px = ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder()).asFloatBuffer();
    Random r = new Random(seed);
    for (int i = 0; i < n; i++) {
      px.put(i, r.nextFloat() * 2 - 1);
    }
    int image = tiles * spec.imageSeqLen();
    long[] ids = new long[1 + image + textIds.length];
    ids[0] = 1;
    for (int i = 0; i < image; i++) {
      ids[1 + i] = spec.imageTokenId();
    }
    System.arraycopy(textIds, 0, ids, 1 + image, textIds.length);
    return new ModelInputs(px, new long[] {1, tiles, 3, s, s}, ids);
  }
}
