package io.captionstream.schema;

import java.util.Map;

/**
 * Factory of the event serdes. Config keys: see {@link EventSerdeConfig} ({@code serde.mode} = {@code plain} |
 * {@code registry}, {@code schema.registry.url}, {@code auto.register.schemas}, {@code use.latest.version},
 * {@code basic.auth.credentials.source}, {@code basic.auth.user.info}). Serdes made from one config share one
 * registry client (and its caches) only when made by one {@link EventSerdes} instance.
 */
public final class EventSerdes {

  private final EventSerdeConfig config;
  private final SchemaRegistryClient registry;

  public EventSerdes(EventSerdeConfig config) {
    this.config = config;
    this.registry = config.mode() == SerdeMode.REGISTRY ? new SchemaRegistryClient(config) : null;
  }

  public static EventSerde<ImageReference> imageReference(Map<String, ?> config) {
    return new EventSerdes(EventSerdeConfig.from(config)).forValues(EventSchema.IMAGE_REFERENCE);
  }

  public static EventSerde<CaptionEvent> captionEvent(Map<String, ?> config) {
    return new EventSerdes(EventSerdeConfig.from(config)).forValues(EventSchema.CAPTION_EVENT);
  }

  public static EventSerde<CaptionError> captionError(Map<String, ?> config) {
    return new EventSerdes(EventSerdeConfig.from(config)).forValues(EventSchema.CAPTION_ERROR);
  }

  public EventSerdeConfig config() {
    return config;
  }

  /** Serde for record values (registry subject {@code <topic>-value}). */
  public <T> EventSerde<T> forValues(EventSchema<T> schema) {
    return create(schema, false);
  }

  /** Serde for record keys (registry subject {@code <topic>-key}). */
  public <T> EventSerde<T> forKeys(EventSchema<T> schema) {
    return create(schema, true);
  }

  private <T> EventSerde<T> create(EventSchema<T> schema, boolean isKey) {
    EventJson<T> json = new EventJson<>(schema);
    WireFormat<T> format = switch (config.mode()) {
      case PLAIN -> new PlainWireFormat<>(json);
      case REGISTRY -> new ConfluentWireFormat<>(json, registry, config, isKey);
    };
    return new EventSerde<>(schema, config.mode(), format);
  }
}
