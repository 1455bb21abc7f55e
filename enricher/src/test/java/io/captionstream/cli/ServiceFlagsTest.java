package io.captionstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.captionstream.config.ConfigKey;
import io.captionstream.config.ConfigKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ServiceFlagsTest {

  @Test
  void everyConfigKeyFlagIsAnOptionOfRunAndDemo() {
    CommandLine.Model.CommandSpec run = new CommandLine(new RunCommand()).getCommandSpec();
    CommandLine.Model.CommandSpec demo = new CommandLine(new DemoCommand()).getCommandSpec();

    for (ConfigKey k : ConfigKeys.ALL) {
      assertThat(run.findOption(k.flag())).as("run option " + k.flag() + " of " + k.key()).isNotNull();
      assertThat(demo.findOption(k.flag())).as("demo option " + k.flag() + " of " + k.key()).isNotNull();
    }
  }

  @Test
  void readmeConfigurationTableNamesTheRealFlagOfEveryKey() throws IOException {
    String text = Files.readString(Path.of("..", "README.md"));
    String section = text.substring(text.indexOf("<!-- section:configuration"), text.indexOf("<!-- /section:configuration"));

    for (ConfigKey k : ConfigKeys.ALL) {
      assertThat(section).as("README row of " + k.key())
          .contains("| `" + k.key() + "` | `" + k.env() + "` | `" + k.flag() + "` |");
    }
  }
}
