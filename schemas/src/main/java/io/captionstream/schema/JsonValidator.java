package io.captionstream.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import java.util.List;

/**
 * A compiled JSON Schema (networknt json-schema-validator; draft 2020-12 unless the schema names another dialect in
 * {@code $schema}). Format assertions ({@code date-time}) are on. Thread-safe.
 */
public final class JsonValidator {

  private static final String UNKNOWN_PROPERTY_KEYWORD = "additionalProperties";

  private final Schema schema;

  private JsonValidator(Schema schema) {
    this.schema = schema;
  }

  /** Compiles a schema. Each call uses its own networknt registry, so two versions with one {@code $id} never mix. */
  public static JsonValidator compile(JsonNode schemaNode) {
    SchemaRegistryConfig config = SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build();
    SchemaRegistry registry =
        SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, b -> b.schemaRegistryConfig(config));
    Schema schema = registry.getSchema(schemaNode);
    schema.initializeValidators();
    return new JsonValidator(schema);
  }

  /** Strict check: every violation, an unknown property of a closed object included. Empty when valid. */
  public List<String> violations(JsonNode instance) {
    return schema.validate(instance).stream().map(JsonValidator::describe).toList();
  }

  /**
   * Tolerant-reader check: like {@link #violations} but a property the schema does not know is not a violation
   * (a newer writer may have added it). Types, required properties, enums and formats are still checked.
   */
  public List<String> violationsIgnoringUnknownProperties(JsonNode instance) {
    return schema.validate(instance).stream()
        .filter(e -> !UNKNOWN_PROPERTY_KEYWORD.equals(e.getKeyword()) || !isUnknownPropertyError(e))
        .map(JsonValidator::describe)
        .toList();
  }

  /** An {@code additionalProperties: false} failure (not the failure of a typed additional property's value). */
  private static boolean isUnknownPropertyError(Error e) {
    return e.getSchemaNode() == null || e.getSchemaNode().isBoolean();
  }

  private static String describe(Error e) {
    return e.getInstanceLocation() + ": " + e.getMessage();
  }
}
