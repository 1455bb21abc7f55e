package io.captionstream.schema;

import java.util.Locale;
import org.apache.kafka.common.config.ConfigException;

/** How events are written to and read from Kafka; config key {@code serde.mode}. */
public enum SerdeMode {
  /** UTF-8 JSON validated against the bundled schema; no registry. */
  PLAIN,
  /** Confluent wire format (magic byte 0, 4-byte big-endian schema id, UTF-8 JSON) with a schema registry. */
  REGISTRY;

  public static SerdeMode parse(String value) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(EventSerdeConfig.SERDE_MODE, value, "must be plain or registry");
    }
  }
}
