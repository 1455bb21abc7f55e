package io.captionstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

class CommandHelpTest {

  @Test
  void everyOptionAndParameterOfEverySubCommandHasAHelpText() {
    CommandLine main = Main.commandLine();

    assertThat(main.getSubcommands()).containsKeys("run", "demo", "caption", "inspect", "publish", "consume",
        "download-model", "synth-model", "bench", "topology");
    main.getSubcommands().forEach((name, sub) -> {
      CommandSpec spec = sub.getCommandSpec();
      for (ArgSpec arg : spec.args()) {
        String label = arg.isOption() ? ((CommandLine.Model.OptionSpec) arg).longestName() : arg.paramLabel();
        String text = String.join(" ", Arrays.asList(arg.description())).strip();
        assertThat(text).as(name + " " + label + " help text").isNotEmpty();
      }
    });
  }

  @Test
  void everySubCommandPrintsTheEnricherVersion() {
    for (String name : Main.commandLine().getSubcommands().keySet()) {
      if (name.equals("help")) {
        continue;
      }
      CliRun r = CliRun.of(name, "--version");

      assertThat(r.code()).as(name + " --version exit code").isZero();
      assertThat(r.out()).as(name + " --version").startsWith("enricher ").contains("Java ");
    }
  }
}
