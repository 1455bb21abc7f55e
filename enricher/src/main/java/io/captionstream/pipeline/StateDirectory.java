package io.captionstream.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka Streams state directory of one pipeline: a fresh temporary one, deleted when the pipeline closes, unless
 * {@code kafka.state.dir} names one of the user's (kept as it is).
 */
final class StateDirectory implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(StateDirectory.class);

  private final Path path;
  private final boolean owned;

  private StateDirectory(Path path, boolean owned) {
    this.path = path;
    this.owned = owned;
  }

  /** @param kafka the user's Kafka/Streams settings (keys without the {@code kafka.} prefix) */
  static StateDirectory of(Map<String, String> kafka) {
    String given = kafka.get(StreamsConfig.STATE_DIR_CONFIG);
    if (given != null && !given.isBlank()) {
      return new StateDirectory(Path.of(given), false);
    }
    try {
      return new StateDirectory(Files.createTempDirectory("captionstream-streams-"), true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path path() {
    return path;
  }

  /** Deletes the directory if this pipeline created it. */
  @Override
  public void close() {
    if (!owned || !Files.exists(path)) {
      return;
    }
    try (Stream<Path> files = Files.walk(path)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    } catch (IOException e) {
      log.warn("could not delete the state directory {}: {}", path, e.toString());
    }
  }
}
