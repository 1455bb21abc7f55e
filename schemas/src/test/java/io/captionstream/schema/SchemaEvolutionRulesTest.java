package io.captionstream.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bundled schemas only evolve by the rules, checked against the published v1 baseline in
 * {@code src/test/resources/schemas-baseline/v1} (never edit the baseline; add a v2 baseline when publishing v2).
 */
class SchemaEvolutionRulesTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  static Stream<EventSchema<?>> schemas() {
    return EventSchema.all().stream();
  }

  static JsonNode baseline(EventSchema<?> schema) throws Exception {
    String file = schema.resourcePath().substring("/schemas/".length());
    try (InputStream in = SchemaEvolutionRulesTest.class.getResourceAsStream("/schemas-baseline/v1/" + file)) {
      return MAPPER.readTree(in);
    }
  }

  @ParameterizedTest
  @MethodSource("schemas")
  void bundledSchemaIsACompatibleEvolutionOfThePublishedV1(EventSchema<?> schema) throws Exception {
    assertThat(EvolutionRules.violations(baseline(schema), schema.node())).isEmpty();
    assertThat(schema.id()).isEqualTo(baseline(schema).path("$id").asText());
  }

  @Test
  void addingAnOptionalPropertyIsAllowed() throws Exception {
    JsonNode v1 = baseline(EventSchema.CAPTION_EVENT);
    JsonNode v2 = SchemaEvolution.parse(SchemaEvolution.withOptionalProperty(v1.toString(), "language"));
    assertThat(EvolutionRules.violations(v1, v2)).isEmpty();
  }

  @Test
  void everyForbiddenChangeIsCaught() throws Exception {
    JsonNode v1 = baseline(EventSchema.CAPTION_EVENT);
    String text = v1.toString();

    assertThat(EvolutionRules.violations(v1, SchemaEvolution.parse(SchemaEvolution.withoutProperty(text, "worker"))))
        .containsExactly("$.worker: removed");
    assertThat(EvolutionRules.violations(v1, SchemaEvolution.parse(SchemaEvolution.retyped(text, "caption",
        "integer"))))
        .containsExactly("$.caption: 'type' changed from \"string\" to \"integer\"");
    assertThat(EvolutionRules.violations(v1, SchemaEvolution.parse(SchemaEvolution.withRequiredProperty(text, "lang"))))
        .containsExactly("$: 'lang' became required");

    ObjectNode nested = SchemaEvolution.parse(text);
    ((ObjectNode) nested.at("/$defs/SourceRef/properties/offset")).put("type", "string");
    assertThat(EvolutionRules.violations(v1, nested)).containsExactly(
        "$.source.offset: 'type' changed from \"integer\" to \"string\"");
  }

  @Test
  void narrowingConstraintsEnumsOrClosingTheInputIsCaught() throws Exception {
    JsonNode image = baseline(EventSchema.IMAGE_REFERENCE);
    ObjectNode narrowed = SchemaEvolution.parse(image.toString());
    ((ObjectNode) narrowed.at("/properties/uri")).put("pattern", "^https://");
    narrowed.put("additionalProperties", false);
    assertThat(EvolutionRules.violations(image, narrowed)).containsExactlyInAnyOrder(
        "$.uri: 'pattern' changed from \"^(?:[Hh][Tt][Tt][Pp][Ss]?://|[Ff][Ii][Ll][Ee]:|[Dd][Aa][Tt][Aa]:)\" to \"^https://\"",
        "$: open object was closed (additionalProperties false)");

    JsonNode error = baseline(EventSchema.CAPTION_ERROR);
    ObjectNode fewerCodes = SchemaEvolution.parse(error.toString());
    ((ArrayNode) fewerCodes.at("/properties/code/enum")).remove(0);
    assertThat(EvolutionRules.violations(error, fewerCodes)).containsExactly(
        "$.code: enum value \"INVALID_EVENT\" removed");
    ObjectNode moreCodes = SchemaEvolution.parse(error.toString());
    ((ArrayNode) moreCodes.at("/properties/code/enum")).add("RATE_LIMITED");
    assertThat(EvolutionRules.violations(error, moreCodes)).isEmpty();
  }
}
