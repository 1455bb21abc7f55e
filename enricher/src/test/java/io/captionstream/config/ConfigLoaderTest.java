package io.captionstream.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.captionstream.fetch.FetchPolicy;
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
    PipelineConfig p = PipelineConfig.from(c);

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

    PipelineConfig p = PipelineConfig.from(ConfigLoader.load(f, env, flags));

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

    assertThat(c.get(ConfigKeys.DRAIN_TIMEOUT)).isEqualTo(Duration.ofMinutes(1));
    assertThat(c.get(ConfigKeys.COMMIT_INTERVAL)).isEqualTo(Duration.ofMillis(250));
    assertThat(PipelineConfig.from(c).fetchPolicy().readTimeout()).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void badValuesNameTheKeyAndWhereItCameFrom() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("CAPTIONSTREAM_WORKERS", "many"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("workers")
        .hasMessageContaining("env CAPTIONSTREAM_WORKERS");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("model.variant", "q3")))
        .hasMessageContaining("model.variant");
  }

  @Test
  void configFileCanComeFromTheEnvironment() throws IOException {
    Path f = file("application.id=from-env-file\n");

    ServiceConfig c = ConfigLoader.load(null, Map.of("CAPTIONSTREAM_CONFIG", f.toString()), Map.of());

    assertThat(PipelineConfig.from(c).applicationId()).isEqualTo("from-env-file");
    assertThatThrownBy(() -> ConfigLoader.load(tmp.resolve("missing.properties"), Map.of(), Map.of()))
        .hasMessageContaining("missing.properties");
  }

  @Test
  void perGraphVariantsAreOneGrammarForTheSetting() {
    ServiceConfig c = ConfigLoader.load(null, Map.of("CAPTIONSTREAM_MODEL_VARIANT", "q4,vision=fp32"), Map.of());

    assertThat(c.get(ConfigKeys.MODEL_VARIANT).vision().id()).isEqualTo("fp32");
    assertThat(c.get(ConfigKeys.MODEL_VARIANT).decoder().id()).isEqualTo("q4");
  }

  @Test
  void blankValuesMeanTheDefault() {
    ServiceConfig c = ConfigLoader.load(null, Map.of("CAPTIONSTREAM_TOPIC_INPUT", " ", "CAPTIONSTREAM_MODEL_VARIANT",
        ""),
        Map.of());

    assertThat(c.get(ConfigKeys.TOPIC_INPUT)).isEqualTo("images");
    assertThat(c.get(ConfigKeys.MODEL_VARIANT)).isNull();
  }

  @Test
  void pipelineDefaultsComeFromTheDefinitions() {
    PipelineConfig p = PipelineConfig.defaults("b:9092");

    assertThat(p.applicationId()).isEqualTo(ConfigKeys.APPLICATION_ID.defaultValue());
    assertThat(p.maxNewTokens()).isEqualTo(ConfigKeys.MAX_NEW_TOKENS.defaultValue());
    assertThat(p.maxNewTokensLimit()).isEqualTo(ConfigKeys.MAX_NEW_TOKENS_LIMIT.defaultValue());
    assertThat(p.drainTimeout()).isEqualTo(ConfigKeys.DRAIN_TIMEOUT.defaultValue());
    assertThat(p.fetchPolicy().maxBytes()).isEqualTo(ConfigKeys.FETCH_MAX_BYTES.defaultValue());
    assertThat(p.topics().errors()).isEqualTo(ConfigKeys.TOPIC_ERRORS.defaultValue());
    // FetchPolicy.defaults() (the fetcher's own, for library use and tests) must not drift from the settings
    assertThat(p.fetchPolicy()).isEqualTo(FetchPolicy.defaults());
  }
}
