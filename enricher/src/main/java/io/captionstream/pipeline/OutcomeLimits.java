package io.captionstream.pipeline;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The size every outcome must fit: the producer refuses a record whose key, value and headers exceed its
 * {@code max.request.size} (1 MiB by default). The echoes an outcome carries are bounded so that, with the default
 * setting and a normal key, every outcome fits; {@link OutcomeFactory} checks the encoded size and writes a minimal
 * {@code OUTCOME_TOO_LARGE} error event instead of one that would not.
 *
 * @param maxRequestBytes the producer's effective {@code max.request.size}
 */
record OutcomeLimits(int maxRequestBytes) {

  /** Kafka's default {@code max.request.size}. */
  static final int DEFAULT_MAX_REQUEST_BYTES = 1024 * 1024;
  /** Below this the service could not write its own error events with their payload echo; refused at start. */
  static final int MIN_REQUEST_BYTES = 64 * 1024;
  /** Record batch and record framing in the producer's size estimate, rounded up generously. */
  static final int RECORD_OVERHEAD_BYTES = 1024;
  /** The error event's echo of the input value, measured after JSON escaping (or as base64 text). */
  static final int MAX_PAYLOAD_ECHO_BYTES = 256 * 1024;
  static final int MAX_ID_CHARS = 1024;
  static final int MAX_MESSAGE_CHARS = 4096;
  static final int MAX_PROMPT_ECHO_CHARS = 16 * 1024;
  static final int MAX_ATTRIBUTE_KEY_CHARS = 256;
  static final int MAX_ATTRIBUTE_VALUE_CHARS = 4096;
  /** All attribute keys and values of one outcome together. */
  static final int MAX_ATTRIBUTES_CHARS = 32 * 1024;

  OutcomeLimits {
    if (maxRequestBytes < MIN_REQUEST_BYTES) {
      throw new IllegalArgumentException("kafka max.request.size=" + maxRequestBytes + " is below the "
          + MIN_REQUEST_BYTES + " bytes the service needs to write its outcomes");
    }
  }

  static OutcomeLimits defaults() {
    return new OutcomeLimits(DEFAULT_MAX_REQUEST_BYTES);
  }

  /** The limits of a producer built from the service's {@code kafka.*} settings. */
  static OutcomeLimits from(Map<String, String> kafka) {
    String v = kafka.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
    if (v == null || v.isBlank()) {
      return defaults();
    }
    try {
      return new OutcomeLimits(Integer.parseInt(v.trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("kafka max.request.size is not a number: " + v, e);
    }
  }

  /** The echo budget of an error event's payload: a quarter of what a record may carry, at most 256 KiB. */
  int payloadEchoBytes() {
    return Math.min(MAX_PAYLOAD_ECHO_BYTES, maxRequestBytes / 4);
  }

  /** Bytes left for the value of a record with this key and these headers. */
  int valueBudget(byte[] key, Headers headers) {
    return maxRequestBytes - RECORD_OVERHEAD_BYTES - framingBytes(key, headers);
  }

  static int framingBytes(byte[] key, Headers headers) {
    long n = key == null ? 0 : key.length;
    if (headers != null) {
      for (Header h : headers) {
        n += h.key().length() * 3L + (h.value() == null ? 0 : h.value().length) + 8;
      }
    }
    return (int) Math.min(n, Integer.MAX_VALUE / 2);
  }
}
