package io.captionstream.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** PLACEHOLDER owned by one work stream; replaced by the real command before it lands. */
@Command(name = "download-model", mixinStandardHelpOptions = true, description = "Downloads a SmolVLM model from the Hugging Face hub into the hub cache.")
public final class DownloadModelCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("download-model: not built yet");
    return 2;
  }
}
