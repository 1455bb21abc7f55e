package io.captionstream.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** PLACEHOLDER owned by one work stream; replaced by the real command before it lands. */
@Command(name = "synth-model", mixinStandardHelpOptions = true, description = "Writes a synthetic SmolVLM model folder (real graph contract, random weights).")
public final class SynthModelCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("synth-model: not built yet");
    return 2;
  }
}
