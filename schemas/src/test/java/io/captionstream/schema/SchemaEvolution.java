package io.captionstream.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;

/** Derives later versions of a schema, as a schema author would edit it. */
final class SchemaEvolution {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private SchemaEvolution() {}

  /** Adds an optional string property: the one allowed kind of change. */
  static String withOptionalProperty(String schema, String name) {
    ObjectNode node = parse(schema);
    ((ObjectNode) node.path("properties")).putObject(name).put("description", "added later").put("type", "string");
    return node.toString();
  }

  static String withRequiredProperty(String schema, String name) {
    ObjectNode node = parse(withOptionalProperty(schema, name));
    ((ArrayNode) node.path("required")).add(name);
    return node.toString();
  }

  static String retyped(String schema, String name, String type) {
    ObjectNode node = parse(schema);
    ((ObjectNode) node.path("properties").path(name)).put("type", type);
    return node.toString();
  }

  static String withoutProperty(String schema, String name) {
    ObjectNode node = parse(schema);
    ((ObjectNode) node.path("properties")).remove(name);
    for (Iterator<JsonNode> it = node.path("required").iterator(); it.hasNext(); ) {
      if (it.next().asText().equals(name)) {
        it.remove();
      }
    }
    return node.toString();
  }

  /** The same schema in draft-07 terms ({@code definitions} instead of {@code $defs}). */
  static String asDraft07(String schema) {
    ObjectNode node = parse(schema.replace("#/$defs/", "#/definitions/"));
    node.put("$schema", "http://json-schema.org/draft-07/schema#");
    JsonNode defs = node.remove("$defs");
    if (defs != null) {
      node.set("definitions", defs);
    }
    return node.toString();
  }

  static ObjectNode parse(String schema) {
    try {
      return (ObjectNode) MAPPER.readTree(schema);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
