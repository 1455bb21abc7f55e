package io.captionstream.schema;

import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serde of one event type, in the mode its {@link EventSerdeConfig} says. Built ready to use by
 * {@link EventSerdes}; {@link #configure} is not needed (and is ignored). Thread-safe.
 *
 * <p>{@link #deserialize(String, byte[])} throws {@link InvalidEventException} for every kind of bad bytes (null,
 * truncated, wrong magic byte, unknown schema id, not JSON, schema violation) and {@link SchemaRegistryException}
 * when the registry cannot be used; it never returns null.
 */
public final class EventSerde<T> implements Serde<T>, Serializer<T>, Deserializer<T> {

  private final EventSchema<T> schema;
  private final SerdeMode mode;
  private final WireFormat<T> format;

  EventSerde(EventSchema<T> schema, SerdeMode mode, WireFormat<T> format) {
    this.schema = schema;
    this.mode = mode;
    this.format = format;
  }

  public EventSchema<T> schema() {
    return schema;
  }

  public SerdeMode mode() {
    return mode;
  }

  @Override
  public byte[] serialize(String topic, T event) {
    return format.write(topic, event);
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    return format.read(topic, data);
  }

  @Override
  public Serializer<T> serializer() {
    return this;
  }

  @Override
  public Deserializer<T> deserializer() {
    return this;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    // built complete by EventSerdes
  }

  @Override
  public void close() {
    // nothing held: the HTTP client's connections go with the garbage collector
  }

  @Override
  public String toString() {
    return "EventSerde[" + schema.title() + ", " + mode + "]";
  }
}
