package io.captionstream.pipeline;

import io.captionstream.schema.CaptionError;
import io.captionstream.schema.CaptionEvent;
import io.captionstream.schema.EventSchema;
import io.captionstream.schema.EventSerde;
import io.captionstream.schema.EventSerdeConfig;
import io.captionstream.schema.EventSerdes;
import io.captionstream.schema.ImageReference;
import io.captionstream.schema.InvalidEventException;
import java.util.Map;

/**
 * The one seam between the pipeline and the wire format of events: the {@code schemas} module's serdes (plain JSON or
 * Confluent registry wire format, JSON Schema validated, unknown input fields tolerated). Its settings
 * ({@code serde.mode}, {@code schema.registry.url}, ...) come from the {@code kafka.*} settings of the service.
 */
public final class EventCodec {

  private final EventSerde<ImageReference> references;
  private final EventSerde<CaptionEvent> captions;
  private final EventSerde<CaptionError> errors;

  public EventCodec() {
    this(EventSerdeConfig.plain());
  }

  public EventCodec(EventSerdeConfig config) {
    EventSerdes serdes = new EventSerdes(config);
    this.references = serdes.forValues(EventSchema.IMAGE_REFERENCE);
    this.captions = serdes.forValues(EventSchema.CAPTION_EVENT);
    this.errors = serdes.forValues(EventSchema.CAPTION_ERROR);
  }

  public static EventCodec from(Map<String, ?> settings) {
    return new EventCodec(EventSerdeConfig.from(settings));
  }

  /**
   * Decodes and checks an input record value.
   *
   * @throws InvalidEventException for every kind of bad bytes (maps to {@code INVALID_EVENT})
   * @throws io.captionstream.schema.SchemaRegistryException when the registry cannot be used (the record may be
   *     fine, so it is not an error outcome)
   */
  public ImageReference decode(String topic, byte[] value) {
    ImageReference ref = references.deserialize(topic, value);
    if (ref.id() == null || ref.id().isBlank()) {
      throw new InvalidEventException(InvalidEventException.Reason.SCHEMA_VIOLATION, "missing required field 'id'");
    }
    if (ref.uri() == null || ref.uri().isBlank()) {
      throw new InvalidEventException(InvalidEventException.Reason.SCHEMA_VIOLATION, "missing required field 'uri'");
    }
    return ref;
  }

  public byte[] encode(String topic, CaptionEvent event) {
    return captions.serialize(topic, event);
  }

  public byte[] encode(String topic, CaptionError error) {
    return errors.serialize(topic, error);
  }

  public CaptionEvent readCaption(String topic, byte[] value) {
    return captions.deserialize(topic, value);
  }

  public CaptionError readError(String topic, byte[] value) {
    return errors.deserialize(topic, value);
  }
}
