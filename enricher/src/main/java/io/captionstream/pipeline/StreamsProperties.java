package io.captionstream.pipeline;

import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;

/** The Kafka Streams settings of a pipeline. */
final class StreamsProperties {

  static final int MAX_POLL_INTERVAL_MS = 300_000;

  private StreamsProperties() {}

  /**
   * The Streams settings the guarantees rely on, then the user's {@code kafka.*} settings, then the few that may not
   * be overridden (processing guarantee, one stream thread, the classic group protocol).
   */
  static Properties of(PipelineConfig config, Path stateDir) {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, (int) config.commitInterval().toMillis());
    p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), config.inFlightWindow());
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG), MAX_POLL_INTERVAL_MS);
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    p.putAll(config.kafka());
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
    // with group.protocol=streams Kafka Streams 4.3 builds its main consumer itself instead of asking the
    // KafkaClientSupplier, so the commit gate would be bypassed and unacknowledged offsets committed
    p.put(StreamsConfig.GROUP_PROTOCOL_CONFIG, "classic");
    return p;
  }
}
