package io.captionstream.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** PLACEHOLDER owned by one work stream; replaced by the real command before it lands. */
@Command(name = "publish", mixinStandardHelpOptions = true, description = "Publishes image files, directories or URLs as ImageReference events.")
public final class PublishCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("publish: not built yet");
    return 2;
  }
}
