package io.captionstream.cli;

import io.captionstream.prompt.NativeStack;
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

  public static void main(String[] args) throws InterruptedException {
    int[] exit = {1};
    // commands load models: the tokenizer's native code needs a large stack (see NativeStack)
    Thread command = NativeStack.thread("main-command", () -> exit[0] = execute(args));
    command.start();
    command.join();
    System.exit(exit[0]);
  }

  /** Runs a command line and returns its exit code (tests call this instead of {@link #main}). */
  public static int execute(String... args) {
    CommandLine cl = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
    // every sub-command offers -V/--version (mixinStandardHelpOptions); let it print the same as 'enricher -V'
    cl.getSubcommands().values().forEach(sub -> sub.getCommandSpec().versionProvider(new VersionProvider()));
    return cl.execute(args);
  }
}
