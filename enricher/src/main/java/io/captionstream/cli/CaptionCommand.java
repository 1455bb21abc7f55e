package io.captionstream.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** PLACEHOLDER owned by one work stream; replaced by the real command before it lands. */
@Command(name = "caption", mixinStandardHelpOptions = true, description = "Captions image files with a local model folder.")
public final class CaptionCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("caption: not built yet");
    return 2;
  }
}
