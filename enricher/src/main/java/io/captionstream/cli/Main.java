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

  /**
   * Stack of the thread that runs the command. DJL's tokenizer (Rust, via JNI) needs more than the launcher's default
   * 1 MiB main-thread stack on large tokenizer.json files: without this the JVM dies with SIGSEGV and no hs_err file.
   */
  static final long COMMAND_STACK_BYTES = 16L << 20;

  public static void main(String[] args) throws InterruptedException {
    int[] exit = {1};
    Thread command = new Thread(null, () -> exit[0] = execute(args), "main-command", COMMAND_STACK_BYTES);
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
