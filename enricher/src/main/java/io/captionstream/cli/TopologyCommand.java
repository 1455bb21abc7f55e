package io.captionstream.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** PLACEHOLDER owned by one work stream; replaced by the real command before it lands. */
@Command(name = "topology", mixinStandardHelpOptions = true, description = "Describes the Kafka Streams topology.")
public final class TopologyCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("topology: not built yet");
    return 2;
  }
}
