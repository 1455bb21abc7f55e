package io.captionstream.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** PLACEHOLDER owned by one work stream; replaced by the real command before it lands. */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Starts an embedded Kafka broker and the enricher, captions the bundled sample images.")
public final class DemoCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("demo: not built yet");
    return 2;
  }
}
