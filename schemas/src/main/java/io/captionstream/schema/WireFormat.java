package io.captionstream.schema;

/** How one event type is laid out in a Kafka record. Implementations are thread-safe. */
interface WireFormat<T> {

  /** The bytes of an event; {@code null} for {@code null}. */
  byte[] write(String topic, T event);

  /** The event in {@code data}; throws {@link InvalidEventException} for bad bytes, never returns null. */
  T read(String topic, byte[] data);
}
