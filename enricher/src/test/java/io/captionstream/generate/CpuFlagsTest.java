package io.captionstream.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpuFlagsTest {

  @TempDir Path tmp;

  @Test
  void readsTheFirstProcessorsFlagsAndToleratesRepeatsAndOddSpacing() throws Exception {
    Path cpuinfo = tmp.resolve("cpuinfo");
    Files.writeString(cpuinfo, """
        processor\t: 0
        model name\t: Some CPU
        flags\t\t: fpu  sse2 avx2 avx512f avx512_vnni avx2
        processor\t: 1
        flags\t\t: fpu amx_int8
        """);

    assertThat(CpuFlags.flags(cpuinfo)).contains("avx512_vnni", "avx2", "fpu").doesNotContain("amx_int8", "");
  }

  @Test
  void anUnreadableOrFlaglessFileMeansNoFlags() throws Exception {
    assertThat(CpuFlags.flags(tmp.resolve("missing"))).isEmpty();
    Path arm = tmp.resolve("arm");
    Files.writeString(arm, "processor\t: 0\nFeatures\t: fp asimd asimddp\n");
    assertThat(CpuFlags.flags(arm)).isEmpty();
  }
}
