package io.captionstream.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Confluent's wire format: magic byte 0, the schema id as 4 bytes big-endian, then UTF-8 JSON. Writing registers
 * (or looks up) the schema under {@code <topic>-value} / {@code <topic>-key} (TopicNameStrategy) and checks the event
 * against the schema the id stands for. Reading fetches the writer's schema by id, checks the JSON strictly against
 * it, then tolerantly against the bundled schema (so the record always has what this code needs).
 */
final class ConfluentWireFormat<T> implements WireFormat<T> {

  static final byte MAGIC_BYTE = 0;
  static final int HEADER_SIZE = 5;

  private final EventJson<T> json;
  private final SchemaRegistryClient registry;
  private final EventSerdeConfig config;
  private final boolean isKey;
  private final ObjectMapper mapper = new ObjectMapper();
  private final Map<Integer, JsonValidator> validatorsById = new ConcurrentHashMap<>();

  ConfluentWireFormat(EventJson<T> json, SchemaRegistryClient registry, EventSerdeConfig config, boolean isKey) {
    this.json = json;
    this.registry = registry;
    this.config = config;
    this.isKey = isKey;
  }

  String subject(String topic) {
    return topic + (isKey ? "-key" : "-value");
  }

  @Override
  public byte[] write(String topic, T event) {
    if (event == null) {
      return null;
    }
    JsonNode tree = json.toValidTree(event);
    String subject = subject(topic);
    int id;
    if (config.useLatestVersion()) {
      SchemaRegistryClient.RegisteredSchema latest = registry.latestCached(subject);
      id = latest.id();
      json.requireValid(validator(id, latest.schema()).violations(tree), " (schema id " + id + ")");
    } else if (config.autoRegister()) {
      id = registry.register(subject, json.schema().text());
    } else {
      id = registry.lookup(subject, json.schema().text());
    }
    byte[] body = json.bytes(tree);
    return ByteBuffer.allocate(HEADER_SIZE + body.length).put(MAGIC_BYTE).putInt(id).put(body).array();
  }

  @Override
  public T read(String topic, byte[] data) {
    if (data == null) {
      throw new InvalidEventException(InvalidEventException.Reason.NULL_PAYLOAD, "null payload (tombstone)");
    }
    if (data.length < HEADER_SIZE) {
      throw new InvalidEventException(InvalidEventException.Reason.TRUNCATED,
          "truncated: " + data.length + " bytes, the Confluent header alone is " + HEADER_SIZE);
    }
    if (data[0] != MAGIC_BYTE) {
      throw new InvalidEventException(InvalidEventException.Reason.WRONG_MAGIC_BYTE,
          String.format("wrong magic byte 0x%02x (expected 0x00)", data[0] & 0xff));
    }
    int id = ByteBuffer.wrap(data, 1, 4).getInt();
    Optional<String> writerSchema = registry.schemaById(id);
    if (writerSchema.isEmpty()) {
      throw new InvalidEventException(InvalidEventException.Reason.UNKNOWN_SCHEMA_ID,
          "unknown schema id " + id);
    }
    JsonNode tree = json.parse(data, HEADER_SIZE, data.length - HEADER_SIZE);
    json.requireValid(validator(id, writerSchema.get()).violations(tree), " (writer schema id " + id + ")");
    return json.toRecord(tree);
  }

  private JsonValidator validator(int id, String schemaText) {
    return validatorsById.computeIfAbsent(id, k -> {
      try {
        return JsonValidator.compile(mapper.readTree(schemaText));
      } catch (Exception e) {
        throw new SchemaRegistryException("schema id " + id + " is not a usable JSON Schema: " + e.getMessage(), e);
      }
    });
  }
}
