package io.captionstream.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** PLACEHOLDER owned by one work stream; replaced by the real command before it lands. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks the engine on a model folder.")
public final class BenchCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("bench: not built yet");
    return 2;
  }
}
