package io.captionstream.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** PLACEHOLDER owned by one work stream; replaced by the real command before it lands. */
@Command(name = "inspect", mixinStandardHelpOptions = true, description = "Dumps what the model sees for one image: pixel values, mask, input ids, prompt.")
public final class InspectCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("inspect: not built yet");
    return 2;
  }
}
