package io.captionstream.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code enricher run} in a child JVM on the test class path, for the ITs that kill it with -9 or measure its RSS.
 * DJL stays offline; stdout and stderr go to {@code log}.
 */
final class RunProcess {

  private RunProcess() {}

  /**
   * @param jvm     JVM options (heap, diagnostics)
   * @param runArgs the arguments after {@code run}
   * @param env     extra environment variables
   */
  static Process start(List<String> jvm, List<String> runArgs, Map<String, String> env, Path log)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("--enable-native-access=ALL-UNNAMED");
    cmd.addAll(jvm);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.captionstream.cli.Main", "run"));
    cmd.addAll(runArgs);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("DJL_OFFLINE", "true");
    pb.environment().put("OPT_OUT_TRACKING", "true");
    pb.environment().putAll(env);
    return pb.start();
  }
}
