package io.captionstream.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EventSchemaTest {

  private final ObjectMapper mapper = EventJson.mapper();

  static Stream<EventSchema<?>> schemas() {
    return EventSchema.all().stream();
  }

  static Stream<Arguments> samples() {
    return Stream.of(
        Arguments.of(EventSchema.IMAGE_REFERENCE, Events.fullImageReference(), "uri"),
        Arguments.of(EventSchema.IMAGE_REFERENCE, Events.fullImageReference(), "id"),
        Arguments.of(EventSchema.CAPTION_EVENT, Events.fullCaptionEvent(), "caption"),
        Arguments.of(EventSchema.CAPTION_EVENT, Events.fullCaptionEvent(), "createdAt"),
        Arguments.of(EventSchema.CAPTION_ERROR, Events.fullCaptionError(), "code"),
        Arguments.of(EventSchema.CAPTION_ERROR, Events.fullCaptionError(), "eventId"));
  }

  @ParameterizedTest
  @MethodSource("schemas")
  void declaresDraft202012IdTitleDescriptionAndExamples(EventSchema<?> schema) {
    JsonNode node = schema.node();
    assertThat(node.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
    assertThat(schema.id()).startsWith("https://captionstream.io/schemas/").endsWith(".schema.json");
    assertThat(schema.title()).isEqualTo(schema.type().getSimpleName());
    assertThat(node.path("description").asText()).isNotBlank();
    assertThat(node.path("examples").size()).isGreaterThanOrEqualTo(2);
    node.path("properties").properties().forEach(p -> {
      JsonNode prop = p.getValue().has("$ref") ? resolve(node, p.getValue()) : p.getValue();
      assertThat(prop.path("description").asText()).as("description of %s", p.getKey()).isNotBlank();
    });
  }

  @ParameterizedTest
  @MethodSource("schemas")
  void everyExampleValidatesStrictlyAndMapsOntoTheRecord(EventSchema<?> schema) throws Exception {
    JsonValidator validator = JsonValidator.compile(schema.node());
    for (JsonNode example : schema.node().path("examples")) {
      assertThat(validator.violations(example)).as("example %s", example).isEmpty();
      Object record = mapper.treeToValue(example, schema.type());
      assertThat(record).isNotNull();
    }
  }

  @ParameterizedTest
  @MethodSource("samples")
  <T> void serialisedRecordValidatesAndOneMissingARequiredFieldDoesNot(EventSchema<T> schema, T record,
      String required) {
    JsonValidator validator = JsonValidator.compile(schema.node());
    ObjectNode tree = mapper.valueToTree(record);
    assertThat(validator.violations(tree)).isEmpty();
    assertThat(schema.node().path("required").toString()).contains("\"" + required + "\"");

    tree.remove(required);

    assertThat(validator.violations(tree)).singleElement().asString().contains(required);
  }

  @ParameterizedTest
  @MethodSource("schemas")
  void outputsAreClosedAndTheInputIsOpen(EventSchema<?> schema) {
    JsonValidator validator = JsonValidator.compile(schema.node());
    ObjectNode example = (ObjectNode) schema.node().path("examples").get(0);
    example.put("addedByANewerWriter", "x");

    assertThat(validator.violationsIgnoringUnknownProperties(example)).isEmpty();
    if (schema == EventSchema.IMAGE_REFERENCE) {
      assertThat(validator.violations(example)).isEmpty();
    } else {
      assertThat(validator.violations(example)).singleElement().asString().contains("addedByANewerWriter");
    }
  }

  @ParameterizedTest
  @MethodSource("schemas")
  void tolerantCheckStillRefusesWrongTypesAndBadFormats(EventSchema<?> schema) {
    JsonValidator validator = JsonValidator.compile(schema.node());
    ObjectNode example = (ObjectNode) schema.node().path("examples").get(0);
    example.put("unknown", 1);
    String idField = schema == EventSchema.IMAGE_REFERENCE ? "id" : "eventId";
    example.put(idField, 7);
    String timeField = schema == EventSchema.IMAGE_REFERENCE ? "deadline" : "createdAt";
    example.put(timeField, "yesterday");

    assertThat(validator.violationsIgnoringUnknownProperties(example))
        .hasSize(2)
        .anySatisfy(v -> assertThat(v).contains(idField).contains("integer"))
        .anySatisfy(v -> assertThat(v).contains(timeField));
  }

  private static JsonNode resolve(JsonNode root, JsonNode ref) {
    return root.at(ref.path("$ref").asText().substring(1));
  }
}
