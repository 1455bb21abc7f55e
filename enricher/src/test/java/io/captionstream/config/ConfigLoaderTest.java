package io.captionstream.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.captionstream.pipeline.PipelineConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @TempDir Path tmp;

  private Path file(String text) throws IOException {
    return Files.writeString(tmp.resolve("enricher.properties"), text);
  }

  @Test
  void flagsBeatEnvironmentWhichBeatsTheFileWhichBeatsDefaults() throws IOException {
    Path f = file("""
        topic.input=from-file
        topic.output=out-file
        topic.errors=err-file
        workers=3
        """);
    Map<String, String> env = Map.of("CAPTIONSTREAM_TOPIC_OUTPUT", "out-env", "CAPTIONSTREAM_TOPIC_ERRORS", "err-env");
    Map<String, String> flags = Map.of("topic.errors", "err-flag");

    ServiceConfig c = ConfigLoader.load(f, env, flags);
    PipelineConfig p = c.pipeline();

    assertThat(p.topics().input()).isEqualTo("from-file");
    assertThat(p.topics().output()).isEqualTo("out-env");
    assertThat(p.topics().errors()).isEqualTo("err-flag");
    assertThat(p.workers()).isEqualTo(3);
    assertThat(p.bootstrapServers()).isEqualTo("localhost:9092");
    assertThat(c.source(ConfigKeys.TOPIC_OUTPUT)).isEqualTo("env CAPTIONSTREAM_TOPIC_OUTPUT");
    assertThat(c.source(ConfigKeys.BOOTSTRAP_SERVERS)).isEqualTo("default");
  }

  @Test
  void kafkaPrefixedSettingsReachTheClientsFromEveryLayer() throws IOException {
    Path f = file("kafka.security.protocol=SSL\nkafka.max.poll.records=7\n");
    Map<String, String> env = Map.of("CAPTIONSTREAM_KAFKA_SASL_MECHANISM", "PLAIN");
    Map<String, String> flags = Map.of("kafka.max.poll.records", "9");

    PipelineConfig p = ConfigLoader.load(f, env, flags).pipeline();

    assertThat(p.kafka()).containsEntry("security.protocol", "SSL")
        .containsEntry("sasl.mechanism", "PLAIN")
        .containsEntry("max.poll.records", "9");
  }

  @Test
  void unknownKeysInTheFileOrEnvironmentAreRejectedByName() throws IOException {
    Path f = file("topic.inptu=typo\n");

    assertThatThrownBy(() -> ConfigLoader.load(f, Map.of("CAPTIONSTREAM_WORKRS", "2"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown key 'topic.inptu'")
        .hasMessageContaining("unknown environment variable CAPTIONSTREAM_WORKRS")
        .hasMessageContaining("topic.input");
  }

  @Test
  void unrelatedEnvironmentVariablesAreIgnored() {
    ServiceConfig c = ConfigLoader.load(null, Map.of("PATH", "/bin", "KAFKA_HEAP_OPTS", "-Xmx1g"), Map.of());

    assertThat(c.get(ConfigKeys.TOPIC_INPUT)).isEqualTo("images");
  }

  @Test
  void durationsAcceptShortFormsAndIso8601() {
    ServiceConfig c = ConfigLoader.load(null, Map.of("CAPTIONSTREAM_DRAIN_TIMEOUT", "PT1M"),
        Map.of("commit.interval", "250ms", "fetch.read.timeout", "2m"));

    assertThat(c.duration(ConfigKeys.DRAIN_TIMEOUT)).isEqualTo(Duration.ofMinutes(1));
    assertThat(c.duration(ConfigKeys.COMMIT_INTERVAL)).isEqualTo(Duration.ofMillis(250));
    assertThat(c.pipeline().fetchPolicy().readTimeout()).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void badValuesNameTheKeyAndWhereItCameFrom() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("CAPTIONSTREAM_WORKERS", "many"), Map.of()).pipeline())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("workers")
        .hasMessageContaining("env CAPTIONSTREAM_WORKERS");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("model.variant", "q3")).variant())
        .hasMessageContaining("model.variant");
  }

  @Test
  void configFileCanComeFromTheEnvironment() throws IOException {
    Path f = file("application.id=from-env-file\n");

    ServiceConfig c = ConfigLoader.load(null, Map.of("CAPTIONSTREAM_CONFIG", f.toString()), Map.of());

    assertThat(c.pipeline().applicationId()).isEqualTo("from-env-file");
    assertThatThrownBy(() -> ConfigLoader.load(tmp.resolve("missing.properties"), Map.of(), Map.of()))
        .hasMessageContaining("missing.properties");
  }

  @Test
  void readmeConfigurationTableListsEveryKeyWithItsEnvironmentVariable() throws IOException {
    Path readme = Path.of("..", "README.md");
    String text = Files.readString(readme);
    String section = text.substring(text.indexOf("<!-- section:configuration"), text.indexOf("<!-- /section:configuration"));

    for (ConfigKey k : ConfigKeys.ALL) {
      assertThat(section).as("README row of " + k.key()).contains("`" + k.key() + "`").contains("`" + k.env() + "`");
    }
  }
}
