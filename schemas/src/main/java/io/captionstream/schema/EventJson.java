package io.captionstream.schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.util.List;

/**
 * The JSON side of one event type: record to tree and back, and the checks against its bundled schema. Writing is
 * strict (the exact schema); reading is tolerant of properties the schema does not know (a newer writer may add
 * optional ones). Thread-safe.
 *
 * @param <T> the event record
 */
public final class EventJson<T> {

  private final EventSchema<T> schema;
  private final ObjectMapper mapper;
  private final JsonValidator validator;

  public EventJson(EventSchema<T> schema) {
    this.schema = schema;
    this.mapper = mapper();
    this.validator = JsonValidator.compile(schema.node());
  }

  /** The project's Jackson setup: ISO-8601 instants, nulls left out, unknown properties ignored, strict parsing. */
  public static ObjectMapper mapper() {
    return JsonMapper.builder()
        .addModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
        .serializationInclusion(JsonInclude.Include.NON_NULL)
        .build();
  }

  public EventSchema<T> schema() {
    return schema;
  }

  /** The record as a JSON tree, checked strictly against the bundled schema. */
  public JsonNode toValidTree(T event) {
    JsonNode tree = mapper.valueToTree(event);
    requireValid(validator.violations(tree), "");
    return tree;
  }

  /** UTF-8 JSON of a tree. */
  public byte[] bytes(JsonNode tree) {
    try {
      return mapper.writeValueAsBytes(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  /** Parses {@code length} bytes from {@code offset} as exactly one JSON document. */
  public JsonNode parse(byte[] data, int offset, int length) {
    if (length == 0) {
      throw new InvalidEventException(InvalidEventException.Reason.NOT_JSON, "not JSON: empty payload");
    }
    try {
      JsonNode tree = mapper.readTree(data, offset, length);
      if (tree == null || tree.isMissingNode()) {
        throw new InvalidEventException(InvalidEventException.Reason.NOT_JSON, "not JSON: no document");
      }
      return tree;
    } catch (IOException e) {
      throw new InvalidEventException(InvalidEventException.Reason.NOT_JSON, "not JSON: " + firstLine(e), e);
    }
  }

  /** Tolerant check against the bundled schema, then the record. */
  public T toRecord(JsonNode tree) {
    requireValid(validator.violationsIgnoringUnknownProperties(tree), "");
    try {
      return mapper.treeToValue(tree, schema.type());
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new InvalidEventException(
          InvalidEventException.Reason.SCHEMA_VIOLATION, "does not map onto " + schema.title() + ": " + firstLine(e),
              e);
    }
  }

  /** Throws a {@link InvalidEventException.Reason#SCHEMA_VIOLATION} naming the first violations, if any. */
  public void requireValid(List<String> violations, String context) {
    if (!violations.isEmpty()) {
      String shown = String.join("; ", violations.subList(0, Math.min(3, violations.size())));
      String more = violations.size() > 3 ? " (+" + (violations.size() - 3) + " more)" : "";
      throw new InvalidEventException(
          InvalidEventException.Reason.SCHEMA_VIOLATION,
          "not a valid " + schema.title() + context + ": " + shown + more);
    }
  }

  private static String firstLine(Exception e) {
    String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    if (m == null) {
      return e.getClass().getSimpleName();
    }
    int nl = m.indexOf('\n');
    String line = nl < 0 ? m : m.substring(0, nl);
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }
}
