package io.captionstream.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyRoundTripTest {

  @TempDir Path dir;

  @Test
  void float32KeepsShapeAndValuesAndAlignsTheHeader() throws Exception {
    float[] v = {0f, -1f, 0.5f, Float.MIN_VALUE, 3.25f, -0f};
    Path f = dir.resolve("a.npy");
    NpyWriter.writeFloat32(f, FloatBuffer.wrap(v), new long[] {1, 2, 3});
    byte[] bytes = Files.readAllBytes(f);
    assertThat((bytes.length - v.length * 4) % 64).isZero();
    assertThat(new String(bytes, 10, 60)).contains("'descr': '<f4'").contains("'shape': (1, 2, 3)");
    NpyReader.Array a = NpyReader.read(f);
    assertThat(a.shape()).containsExactly(1, 2, 3);
    float[] back = new float[6];
    a.asFloat32().get(back);
    assertThat(back).containsExactly(v);
  }

  @Test
  void int64AndBoolRoundTrip() throws Exception {
    Path ids = dir.resolve("ids.npy");
    NpyWriter.writeInt64(ids, new long[] {1, 49190, -5, Long.MAX_VALUE}, new long[] {1, 4});
    assertThat(NpyReader.read(ids).asInt64()).containsExactly(1, 49190, -5, Long.MAX_VALUE);
    Path mask = dir.resolve("mask.npy");
    NpyWriter.writeBool(mask, new boolean[] {true, false, true}, new long[] {3});
    NpyReader.Array m = NpyReader.read(mask);
    assertThat(m.descr()).isEqualTo("|b1");
    assertThat(m.shape()).containsExactly(3);
    assertThat(m.asBool()).containsExactly(true, false, true);
  }

  @Test
  void pillowNumpyReadsWhatWeWrite() throws Exception {
    boolean ci = "true".equalsIgnoreCase(System.getenv("CI")); // CI installs numpy: there a missing one fails
    boolean python = Files.isExecutable(Path.of("/usr/bin/python3"));
    assertThat(python || !ci).as("/usr/bin/python3 under CI=true").isTrue();
    Assumptions.assumeTrue(python);
    Path f = dir.resolve("b.npy");
    NpyWriter.writeInt64(f, new long[] {7, 8, 9}, new long[] {1, 3});
    Process p = new ProcessBuilder("/usr/bin/python3", "-c",
        "import numpy,sys; a=numpy.load(sys.argv[1]); print(a.dtype, a.shape, a.tolist())", f.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes()).trim();
    boolean numpy = p.waitFor() == 0 || !out.contains("No module named");
    assertThat(numpy || !ci).as("numpy under CI=true: " + out).isTrue();
    Assumptions.assumeTrue(numpy, out);
    assertThat(out).isEqualTo("int64 (1, 3) [[7, 8, 9]]");
  }
}
