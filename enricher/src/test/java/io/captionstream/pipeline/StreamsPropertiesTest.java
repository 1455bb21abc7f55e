package io.captionstream.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamsPropertiesTest {

  private static Properties withUserSettings(Map<String, String> kafka) {
    return StreamsProperties.of(PipelineConfig.defaults("broker:9092").withKafka(kafka),
        Path.of("/tmp/s"));
  }

  @Test
  void theStreamsGroupProtocolCannotBypassTheCommitGate() {
    // Kafka Streams 4.3 creates the main consumer itself under group.protocol=streams (the client supplier, and so
    // the CommitGatedConsumer, is only used with the classic protocol)
    Properties p = withUserSettings(Map.of(StreamsConfig.GROUP_PROTOCOL_CONFIG, "streams"));
    assertThat(p.get(StreamsConfig.GROUP_PROTOCOL_CONFIG)).isEqualTo("classic");
    assertThat(new StreamsConfig(p).getString(StreamsConfig.GROUP_PROTOCOL_CONFIG)).isEqualTo("classic");
  }

  @Test
  void processingGuaranteeAndThreadCountStayFixedWhileOtherSettingsPassThrough() {
    Properties p = withUserSettings(Map.of(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2,
        StreamsConfig.NUM_STREAM_THREADS_CONFIG, "4", "security.protocol", "SSL"));
    assertThat(p.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.AT_LEAST_ONCE);
    assertThat(p.get(StreamsConfig.NUM_STREAM_THREADS_CONFIG)).isEqualTo(1);
    assertThat(p.get("security.protocol")).isEqualTo("SSL");
  }

  @Test
  void aTemporaryStateDirectoryIsDeletedOnCloseAndTheUsersOwnIsKept(@TempDir Path tmp) throws IOException {
    StateDirectory own = StateDirectory.of(Map.of());
    Files.createDirectories(own.path().resolve("app/0_0"));
    Files.writeString(own.path().resolve("app/0_0/.lock"), "");
    own.close();
    assertThat(own.path()).doesNotExist();

    StateDirectory users = StateDirectory.of(Map.of(StreamsConfig.STATE_DIR_CONFIG, tmp.toString()));
    users.close();
    assertThat(users.path()).isEqualTo(tmp).exists();
    assertThat(withUserSettings(Map.of()).get(StreamsConfig.STATE_DIR_CONFIG)).isEqualTo("/tmp/s");
  }
}
