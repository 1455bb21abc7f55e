package io.captionstream.cli;

import io.captionstream.prompt.NativeStack;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code enricher.jar}: one sub-command per task a user has.
 *
 * <p>The engine's and the service's commands are listed below. Other modules add theirs without the enricher
 * compiling against them: a jar lists its picocli command classes in {@code META-INF/captionstream/commands} (one
 * class name per line, see {@link ClassPathCommands}) and {@link #commandLine()} adds every class listed on the
 * class path. That is how {@code synth-model} (module {@code synth}, a runtime dependency shipped in the fat jar)
 * is offered; without that jar on the class path the command is not offered.
 */
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
      BenchCommand.class,
      TopologyCommand.class
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
    return commandLine().execute(args);
  }

  /** The whole CLI: the commands above, those listed on the class path, then {@code help}. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    ClassPathCommands.load(Main.class.getClassLoader()).forEach(cl::addSubcommand);
    cl.addSubcommand(new CommandLine.HelpCommand());
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    // every sub-command offers -V/--version (mixinStandardHelpOptions); let it print the same as 'enricher -V'
    cl.getSubcommands().values().forEach(sub -> sub.getCommandSpec().versionProvider(new VersionProvider()));
    return cl;
  }
}
