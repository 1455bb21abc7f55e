package io.captionstream.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The Java records and the JSON Schemas describe the same properties with the same types, at every depth. */
class RecordSchemaAgreementTest {

  static Stream<EventSchema<?>> schemas() {
    return EventSchema.all().stream();
  }

  @ParameterizedTest
  @MethodSource("schemas")
  void recordComponentsAndSchemaPropertiesAgreeRecursively(EventSchema<?> schema) {
    List<String> disagreements = new ArrayList<>();
    compareObject(schema.node(), schema.node(), schema.type(), schema.title(), disagreements);
    assertThat(disagreements).isEmpty();
  }

  @Test
  void detectsARecordThatDisagreesWithItsSchema() {
    record Drifted(String id, long uri, String renamedPrompt) {}
    List<String> disagreements = new ArrayList<>();
    JsonNode root = EventSchema.IMAGE_REFERENCE.node();

    compareObject(root, root, Drifted.class, "Drifted", disagreements);

    assertThat(disagreements).anySatisfy(d -> assertThat(d).contains("Drifted.uri").contains("integer"))
        .anySatisfy(d -> assertThat(d).contains("renamedPrompt"))
        .anySatisfy(d -> assertThat(d).contains("maxNewTokens"));
  }

  @Test
  void errorCodeEnumMatchesTheJavaEnumInOrder() {
    List<String> schemaCodes = new ArrayList<>();
    EventSchema.CAPTION_ERROR.node().at("/properties/code/enum").forEach(n -> schemaCodes.add(n.asText()));
    assertThat(schemaCodes).containsExactlyElementsOf(
        Arrays.stream(ErrorCode.values()).map(Enum::name).toList());
  }

  private static void compareObject(
      JsonNode root, JsonNode objectSchema, Class<?> type, String path, List<String> out) {
    JsonNode resolved = resolve(root, objectSchema);
    if (!resolved.path("type").asText().equals("object")) {
      out.add(path + ": schema type is " + resolved.path("type") + ", record " + type.getSimpleName());
      return;
    }
    Set<String> components = Arrays.stream(type.getRecordComponents())
        .map(RecordComponent::getName).collect(Collectors.toCollection(TreeSet::new));
    Set<String> properties = new TreeSet<>();
    resolved.path("properties").fieldNames().forEachRemaining(properties::add);
    if (!components.equals(properties)) {
      out.add(path + ": record components " + components + " but schema properties " + properties);
    }
    for (RecordComponent c : type.getRecordComponents()) {
      JsonNode prop = resolved.path("properties").path(c.getName());
      if (!prop.isMissingNode()) {
        compareValue(root, prop, c.getGenericType(), path + "." + c.getName(), out);
      }
    }
    // a primitive component is always written, so the schema must require it
    for (RecordComponent c : type.getRecordComponents()) {
      boolean required = false;
      for (JsonNode r : resolved.path("required")) {
        required |= r.asText().equals(c.getName());
      }
      if (c.getType().isPrimitive() && !required) {
        out.add(path + "." + c.getName() + ": primitive component is always present but not required");
      }
    }
  }

  private static void compareValue(JsonNode root, JsonNode prop, Type javaType, String path, List<String> out) {
    JsonNode schema = resolve(root, prop);
    String schemaType = schema.path("type").asText();
    Class<?> raw = javaType instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) javaType;
    String expected;
    if (raw == String.class) {
      expected = "string";
    } else if (raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class) {
      expected = "integer";
    } else if (raw == boolean.class || raw == Boolean.class) {
      expected = "boolean";
    } else if (raw == double.class || raw == Double.class || raw == float.class || raw == Float.class) {
      expected = "number";
    } else if (raw == Instant.class) {
      expected = "string";
      if (!"date-time".equals(schema.path("format").asText())) {
        out.add(path + ": Instant but schema format is " + schema.path("format"));
      }
    } else if (raw.isEnum()) {
      expected = "string";
      List<String> constants = Arrays.stream(raw.getEnumConstants()).map(e -> ((Enum<?>) e).name()).toList();
      List<String> schemaEnum = new ArrayList<>();
      schema.path("enum").forEach(n -> schemaEnum.add(n.asText()));
      if (!constants.equals(schemaEnum)) {
        out.add(path + ": enum " + constants + " but schema enum " + schemaEnum);
      }
    } else if (Map.class.isAssignableFrom(raw)) {
      expected = "object";
      Type valueType = ((ParameterizedType) javaType).getActualTypeArguments()[1];
      compareValue(root, schema.path("additionalProperties"), valueType, path + "{value}", out);
    } else if (raw.isRecord()) {
      compareObject(root, schema, raw, path, out);
      return;
    } else {
      out.add(path + ": no JSON mapping known for " + raw);
      return;
    }
    if (!expected.equals(schemaType)) {
      out.add(path + ": Java " + raw.getSimpleName() + " is " + expected + " but schema type is " + schemaType);
    }
  }

  private static JsonNode resolve(JsonNode root, JsonNode node) {
    return node.has("$ref") ? root.at(node.path("$ref").asText().substring(1)) : node;
  }
}
