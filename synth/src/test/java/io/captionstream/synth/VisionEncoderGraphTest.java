package io.captionstream.synth;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The synthetic vision encoder depends on every pixel, on where a patch sits, on the mask and on tile order. */
class VisionEncoderGraphTest {

  @TempDir static Path dir;
  static final SynthSpec SPEC = SynthSpec.tiny();
  static final int S = SPEC.tileSize();
  static final int TILE = 3 * S * S;
  static OrtSession vision;

  @BeforeAll
  static void writeGraphs() throws IOException, OrtException {
    SynthModelWriter.writeGraphs(SPEC, dir);
    vision = OrtRunner.open(SynthModelWriter.visionEncoder(dir));
  }

  @AfterAll
  static void close() throws OrtException {
    vision.close();
  }

  static float[] randomPixels(int tiles, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] px = new float[tiles * TILE];
    for (int i = 0; i < px.length; i++) {
      px[i] = (float) r.nextDouble(-1, 1);
    }
    return px;
  }

  static boolean[] allTrue(int tiles) {
    boolean[] m = new boolean[tiles * S * S];
    Arrays.fill(m, true);
    return m;
  }

  static float[] run(float[] pixels, boolean[] mask, int tiles) throws OrtException {
    return OrtRunner.vision(vision, SPEC, pixels, mask, tiles, new long[3]);
  }

  static float[] tileRows(float[] features, int tile) {
    int per = SPEC.imageSeqLen() * SPEC.textHidden();
    return Arrays.copyOfRange(features, tile * per, (tile + 1) * per);
  }

  @Test
  void producesImageSeqLenRowsOfTextHiddenPerTile() throws OrtException {
    long[] shape = new long[3];
    float[] features = OrtRunner.vision(vision, SPEC, randomPixels(3, 1), allTrue(3), 3, shape);
    assertThat(shape).containsExactly(3, SPEC.imageSeqLen(), SPEC.textHidden());
    assertThat(features).hasSize(3 * SPEC.imageSeqLen() * SPEC.textHidden()).doesNotContain(Float.NaN);
    assertThat(SPEC.imageSeqLen()).isEqualTo(16);
  }

  @Test
  void changingOnePixelChangesTheFeaturesOfItsTileOnly() throws OrtException {
    float[] pixels = randomPixels(2, 2);
    float[] base = run(pixels, allTrue(2), 2);
    float[] changed = pixels.clone();
    changed[TILE + 5 * S + 7] += 0.5f;  // tile 1, red plane, row 5, col 7
    float[] after = run(changed, allTrue(2), 2);
    assertThat(OrtRunner.maxAbsDiff(tileRows(base, 1), tileRows(after, 1))).isGreaterThan(1e-4f);
    assertThat(OrtRunner.maxAbsDiff(tileRows(base, 0), tileRows(after, 0))).isEqualTo(0f);
  }

  @Test
  void swappingTwoTilesSwapsTheirFeatureBlocks() throws OrtException {
    float[] pixels = randomPixels(2, 3);
    float[] swapped = new float[pixels.length];
    System.arraycopy(pixels, TILE, swapped, 0, TILE);
    System.arraycopy(pixels, 0, swapped, TILE, TILE);
    float[] base = run(pixels, allTrue(2), 2);
    float[] after = run(swapped, allTrue(2), 2);
    assertThat(OrtRunner.maxAbsDiff(base, after)).isGreaterThan(1e-3f);
    assertThat(OrtRunner.maxAbsDiff(tileRows(base, 0), tileRows(after, 1))).isLessThan(1e-5f);
    assertThat(OrtRunner.maxAbsDiff(tileRows(base, 1), tileRows(after, 0))).isLessThan(1e-5f);
  }

  @Test
  void patchPositionMattersNotOnlyPatchContent() throws OrtException {
    // Tile 1 is tile 0 with its first two patch columns exchanged: same patches, other places.
    int p = SPEC.patchSize();
    float[] pixels = randomPixels(1, 4);
    float[] moved = pixels.clone();
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < S; y++) {
        for (int x = 0; x < p; x++) {
          int a = c * S * S + y * S + x;
          int b = a + p;
          moved[a] = pixels[b];
          moved[b] = pixels[a];
        }
      }
    }
    float[] base = run(pixels, allTrue(1), 1);
    float[] after = run(moved, allTrue(1), 1);
    assertThat(OrtRunner.maxAbsDiff(base, after)).isGreaterThan(1e-3f);
  }

  @Test
  void maskedPixelsAreIgnored() throws OrtException {
    float[] pixels = randomPixels(1, 5);
    boolean[] mask = allTrue(1);
    for (int x = 0; x < S; x++) {
      mask[(S - 1) * S + x] = false;  // last row padded
    }
    float[] masked = run(pixels, mask, 1);
    assertThat(OrtRunner.maxAbsDiff(run(pixels, allTrue(1), 1), masked)).isGreaterThan(1e-4f);

    float[] noise = pixels.clone();
    for (int c = 0; c < 3; c++) {
      for (int x = 0; x < S; x++) {
        noise[c * S * S + (S - 1) * S + x] = 0.9f;
      }
    }
    assertThat(OrtRunner.maxAbsDiff(masked, run(noise, mask, 1))).isEqualTo(0f);
  }
}
