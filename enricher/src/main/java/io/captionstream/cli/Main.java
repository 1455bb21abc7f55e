package io.captionstream.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code enricher.jar}: one sub-command per task a user has. */
@Command(
    name = "enricher",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Captions images from Kafka with SmolVLM (ONNX Runtime, in-process).",
    subcommands = {
      RunCommand.class,
      DemoCommand.class,
      CaptionCommand.class,
      InspectCommand.class,
      PublishCommand.class,
      ConsumeCommand.class,
      DownloadModelCommand.class,
      SynthModelCommand.class,
      BenchCommand.class,
      TopologyCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs a command line and returns its exit code (tests call this instead of {@link #main}). */
  public static int execute(String... args) {
    return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
  }
}
