package io.captionstream.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** PLACEHOLDER owned by one work stream; replaced by the real command before it lands. */
@Command(name = "consume", mixinStandardHelpOptions = true, description = "Prints caption and error events.")
public final class ConsumeCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("consume: not built yet");
    return 2;
  }
}
