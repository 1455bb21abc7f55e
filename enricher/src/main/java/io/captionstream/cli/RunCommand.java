package io.captionstream.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** PLACEHOLDER owned by one work stream; replaced by the real command before it lands. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Runs the captioning service against a Kafka cluster.")
public final class RunCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("run: not built yet");
    return 2;
  }
}
