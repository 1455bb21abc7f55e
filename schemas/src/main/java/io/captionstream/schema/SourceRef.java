package io.captionstream.schema;

/** The input record an outcome belongs to. {@code eventId}s are derived from it, so a redelivery keeps its id. */
public record SourceRef(String topic, int partition, long offset) {

  /** The deterministic event id of the outcome of this input record. */
  public String eventId() {
    return topic + "-" + partition + "-" + offset;
  }
}
