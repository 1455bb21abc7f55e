package io.captionstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.captionstream.pipeline.PipelineConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RunCommandTest {

  @Test
  void helpDocumentsEveryOption() {
    CommandLine cl = new CommandLine(new RunCommand());
    String usage = cl.getUsageMessage(CommandLine.Help.Ansi.OFF);
    assertThat(cl.getCommandSpec().options().stream().filter(o -> !o.hidden()).toList()).hasSizeGreaterThan(25)
        .allSatisfy(o -> {
      assertThat(usage).contains(o.longestName());
      assertThat(String.join(" ", o.description())).as(o.longestName()).isNotBlank();
    });
    assertThat(usage).contains("at-least-once").contains("Exit codes");
  }

  @Test
  void flagsConfigFileAndKafkaSettingsBuildThePipelineConfig(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("enricher.properties"),
        "kafka.security.protocol=SSL\nkafka.linger.ms=7\n");
    RunCommand run = new RunCommand();
    new CommandLine(run).parseArgs("-b", "broker:9093", "--application-id", "app", "--input-topic", "in",
        "--output-topic", "out", "--error-topic", "err", "-w", "3", "--window", "30", "--commit-interval", "PT2S",
        "--allow-private-addresses", "--file-root", dir.toString(), "-c", file.toString(), "-k", "linger.ms=9");
    PipelineConfig c = run.config();
    assertThat(c.bootstrapServers()).isEqualTo("broker:9093");
    assertThat(c.applicationId()).isEqualTo("app");
    assertThat(c.topics().input()).isEqualTo("in");
    assertThat(c.topics().errors()).isEqualTo("err");
    assertThat(c.workers()).isEqualTo(3);
    assertThat(c.fetchConcurrency()).isEqualTo(6);
    assertThat(c.inFlightWindow()).isEqualTo(30);
    assertThat(c.commitInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.fetchPolicy().allowPrivateAddresses()).isTrue();
    assertThat(c.fetchPolicy().fileRoot()).isEqualTo(dir.toAbsolutePath().normalize());
    assertThat(c.kafka()).containsEntry("security.protocol", "SSL").containsEntry("linger.ms", "9");
  }

  @Test
  void fetchRetrySettingsReachTheFetchPolicy() throws Exception {
    RunCommand defaults = new RunCommand();
    new CommandLine(defaults).parseArgs("-b", "broker:9093");
    assertThat(defaults.config().fetchPolicy().retries()).isEqualTo(2);
    assertThat(defaults.config().fetchPolicy().retryBackoff()).isEqualTo(Duration.ofMillis(500));
    RunCommand run = new RunCommand();
    new CommandLine(run).parseArgs("-b", "broker:9093", "--fetch-retries", "4", "--fetch-retry-backoff", "250ms");
    assertThat(run.config().fetchPolicy().retries()).isEqualTo(4);
    assertThat(run.config().fetchPolicy().retryBackoff()).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void unknownKeyInTheConfigFileIsRejected(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("enricher.properties"), "not.kafka=typo\n");
    CliRun r = CliRun.of("run", "-c", file.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("unknown key 'not.kafka'");
  }

  @Test
  void unknownEngineIsAConfigurationError() {
    CliRun r = CliRun.of("run", "--engine", "no-such-engine", "--model-dir", "/nonexistent");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("no engine 'no-such-engine'");
  }

  @Test
  void aModelFolderThatDoesNotLoadIsUnavailableLikeForCaption(@TempDir Path dir) throws Exception {
    Path model = Files.createDirectories(dir.resolve("model/onnx"));
    Files.writeString(dir.resolve("model/config.json"), "{}");
    for (String g : new String[] {"vision_encoder", "embed_tokens", "decoder_model_merged"}) {
      Files.writeString(model.resolve(g + ".onnx"), "not an onnx graph");
    }
    CliRun r = CliRun.of("run", "--model-dir", dir.resolve("model").toString(), "-b", "127.0.0.1:1",
        "--metrics-port", "-1");
    assertThat(r.code()).as(r.err()).isEqualTo(3);
    assertThat(r.err()).contains("cannot load the model");
  }

  @Test
  void topologyCommandPrintsSourceProcessorAndOutcomeTopics() {
    CliRun r = CliRun.of("topology", "--input-topic", "pics");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("(topics: [pics])").contains("--> captions")
        .contains("--> caption-errors");
  }
}
