package io.captionstream.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One event type and its bundled JSON Schema (draft 2020-12), read from the classpath resource
 * {@code /schemas/<name>.schema.json}. The schema text is what the registry mode registers, verbatim.
 *
 * @param <T> the record the schema describes
 */
public final class EventSchema<T> {

  public static final EventSchema<ImageReference> IMAGE_REFERENCE =
      new EventSchema<>(ImageReference.class, "image-reference");
  public static final EventSchema<CaptionEvent> CAPTION_EVENT =
      new EventSchema<>(CaptionEvent.class, "caption-event");
  public static final EventSchema<CaptionError> CAPTION_ERROR =
      new EventSchema<>(CaptionError.class, "caption-error");

  private final Class<T> type;
  private final String resourcePath;
  private final String text;
  private final JsonNode node;

  private EventSchema(Class<T> type, String name) {
    this.type = type;
    this.resourcePath = "/schemas/" + name + ".schema.json";
    this.text = readResource(resourcePath);
    try {
      this.node = new ObjectMapper().readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("bundled schema " + resourcePath + " is not JSON", e);
    }
  }

  /** Every event type, inputs first. */
  public static List<EventSchema<?>> all() {
    return List.of(IMAGE_REFERENCE, CAPTION_EVENT, CAPTION_ERROR);
  }

  public Class<T> type() {
    return type;
  }

  /** Classpath location of the schema file, e.g. {@code /schemas/image-reference.schema.json}. */
  public String resourcePath() {
    return resourcePath;
  }

  /** The schema file's text, exactly as bundled. */
  public String text() {
    return text;
  }

  /** The schema as a JSON tree (do not modify). */
  public JsonNode node() {
    return node.deepCopy();
  }

  /** The schema's {@code $id}. */
  public String id() {
    return node.path("$id").asText();
  }

  /** The schema's {@code title} (the record's simple name). */
  public String title() {
    return node.path("title").asText();
  }

  @Override
  public String toString() {
    return title();
  }

  private static String readResource(String path) {
    try (InputStream in = EventSchema.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("bundled schema " + path + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
