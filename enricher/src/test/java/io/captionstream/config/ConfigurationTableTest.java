package io.captionstream.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigurationTableTest {

  @Test
  void readmeConfigurationTableIsTheOneGeneratedFromTheDefinitions() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));

    String actual = ConfigurationTable.inReadme(readme);

    assertThat(actual)
        .as("README.md's configuration table differs from ConfigKeys; replace it with:%n%n%s%n(or run "
            + "io.captionstream.config.ConfigurationTable from enricher/ to rewrite it)", ConfigurationTable.markdown())
        .isEqualTo(ConfigurationTable.markdown());
  }

  @Test
  void everyDocumentedSettingHasOneRowAndDeprecatedOnesNone() {
    String table = ConfigurationTable.markdown();

    for (Setting<?> s : ConfigKeys.ALL) {
      assertThat(table.contains("| `" + s.key() + "` |")).as(s.key()).isEqualTo(!s.deprecated());
    }
  }
}
