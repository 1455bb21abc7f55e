package io.captionstream.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.captionstream.schema.CaptionError;
import io.captionstream.schema.CaptionEvent;
import io.captionstream.schema.ImageReference;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The one seam between the pipeline and the wire format of events: plain JSON through Jackson, unknown fields
 * tolerated. The {@code schemas} module's serdes (JSON Schema validation, registry mode) plug in here.
 */
public final class EventCodec {

  /** Bytes that are not a valid {@link ImageReference}; becomes an {@code INVALID_EVENT} error outcome. */
  public static final class InvalidEventException extends Exception {
    public InvalidEventException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final ObjectMapper mapper = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .build();

  public ImageReference decode(byte[] value) throws InvalidEventException {
    if (value == null || value.length == 0) {
      throw new InvalidEventException("empty record value", null);
    }
    ImageReference ref;
    try {
      ref = mapper.readValue(value, ImageReference.class);
    } catch (IOException e) {
      throw new InvalidEventException("not a valid ImageReference JSON object: " + firstLine(e), e);
    }
    if (ref == null) {
      throw new InvalidEventException("record value is JSON null", null);
    }
    if (ref.id() == null || ref.id().isBlank()) {
      throw new InvalidEventException("missing required field 'id'", null);
    }
    if (ref.uri() == null || ref.uri().isBlank()) {
      throw new InvalidEventException("missing required field 'uri'", null);
    }
    if (ref.maxNewTokens() != null && ref.maxNewTokens() < 1) {
      throw new InvalidEventException("maxNewTokens must be >= 1, was " + ref.maxNewTokens(), null);
    }
    if (ref.longestEdge() != null && ref.longestEdge() < 1) {
      throw new InvalidEventException("longestEdge must be >= 1, was " + ref.longestEdge(), null);
    }
    return ref;
  }

  public byte[] encode(CaptionEvent event) {
    return write(event);
  }

  public byte[] encode(CaptionError error) {
    return write(error);
  }

  public byte[] encode(ImageReference ref) {
    return write(ref);
  }

  public <T> T read(byte[] json, Class<T> type) {
    try {
      return mapper.readValue(json, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private byte[] write(Object o) {
    try {
      return mapper.writeValueAsBytes(o);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String firstLine(Exception e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
