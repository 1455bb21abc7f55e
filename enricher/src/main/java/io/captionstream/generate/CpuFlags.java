package io.captionstream.generate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;

/** What the CPU offers that changes which ONNX Runtime kernel is fastest (Linux x86-64: {@code /proc/cpuinfo}). */
final class CpuFlags {

  private CpuFlags() {}

  /**
   * Whether ONNX Runtime's unsigned × signed int8 GEMM runs with a dot-product instruction here, faster than
   * unsigned × unsigned and exact: x86-64 with AVX-512 VNNI or AVX-VNNI. Where it cannot be told (another OS or
   * architecture), no.
   */
  static boolean int8DotProduct() {
    String arch = System.getProperty("os.arch", "");
    if (!arch.equals("amd64") && !arch.equals("x86_64")) {
      return false;
    }
    return flags(Path.of("/proc/cpuinfo")).stream().anyMatch(f -> f.equals("avx512_vnni") || f.equals("avx_vnni"));
  }

  /** The flags of the first processor in a {@code /proc/cpuinfo} file; empty when unreadable. */
  static Set<String> flags(Path cpuinfo) {
    try {
      for (String line : Files.readAllLines(cpuinfo, StandardCharsets.ISO_8859_1)) {
        if (line.startsWith("flags") && line.indexOf(':') > 0) {
          return Set.copyOf(Arrays.asList(line.substring(line.indexOf(':') + 1).trim().split("\\s+")));
        }
      }
    } catch (IOException | RuntimeException e) {
      return Set.of();
    }
    return Set.of();
  }
}
