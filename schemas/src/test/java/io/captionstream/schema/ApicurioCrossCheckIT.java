package io.captionstream.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * Cross-check with an independent implementation of the Confluent wire format: Apicurio's own JSON Schema serdes
 * (4-byte content id, no headers: their defaults), talking to the registry through its native v3 API while ours uses
 * the Confluent API. Bytes we write through Kafka are read by their deserializer (which also validates them against
 * the registered schema with its own validator), and bytes their serializer writes are read by ours.
 */
@Testcontainers
class ApicurioCrossCheckIT {

  @Container static final GenericContainer<?> APICURIO = RegistryContainers.apicurio();
  @Container static final KafkaContainer KAFKA = RegistryContainers.kafka();

  private static ApicurioSerdes apicurio;
  private final ObjectMapper plainMapper = new ObjectMapper();

  @BeforeAll
  static void loadApicurioSerdes() {
    apicurio = new ApicurioSerdes();
  }

  @AfterAll
  static void closeApicurioSerdes() throws Exception {
    apicurio.close();
  }

  private Map<String, Object> apicurioConfig() {
    return Map.of(
        "apicurio.registry.url", RegistryContainers.nativeUrl(APICURIO),
        "apicurio.registry.auto-register", "false",
        "apicurio.registry.find-latest", "true",
        "apicurio.registry.serde.validation-enabled", "true");
  }

  @Test
  void apicurioDeserializerReadsWhatWeWrite() throws Exception {
    EventSerdes ours = new EventSerdes(EventSerdeConfig.from(RegistryContainers.registryConfig(APICURIO)));
    oursToTheirs("x-images", ours.forValues(EventSchema.IMAGE_REFERENCE), Events.fullImageReference());
    oursToTheirs("x-captions", ours.forValues(EventSchema.CAPTION_EVENT), Events.fullCaptionEvent());
    oursToTheirs("x-errors", ours.forValues(EventSchema.CAPTION_ERROR), Events.fullCaptionError());
  }

  private <T> void oursToTheirs(String topic, EventSerde<T> serde, T event) throws Exception {
    RegistryContainers.produce(KAFKA, topic, List.of(serde.serialize(topic, event)));
    byte[] raw = RegistryContainers.consume(KAFKA, topic, 1).get(0);

    Deserializer<JsonNode> theirs = apicurio.deserializer(apicurioConfig());
    JsonNode read = apicurio.withLoader(() -> theirs.deserialize(topic, raw));
    theirs.close();

    // their mapper reads decimals as BigDecimal nodes: compare the JSON text, re-read by one mapper
    assertThat(plainMapper.readTree(read.toString()))
        .isEqualTo(plainMapper.readTree(EventJson.mapper().writeValueAsString(event)));
  }

  @Test
  void weReadWhatTheApicurioSerializerWrites() throws Exception {
    SchemaRegistryClient registry = new SchemaRegistryClient(
        EventSerdeConfig.from(RegistryContainers.registryConfig(APICURIO)));
    EventSerdes ours = new EventSerdes(EventSerdeConfig.from(RegistryContainers.registryConfig(APICURIO)));
    for (EventSchema<?> schema : EventSchema.all()) {
      String topic = "y-" + schema.title();
      int id = registry.register(topic + "-value", schema.text());
      JsonNode example = schema.node().path("examples").get(0);

      Serializer<JsonNode> theirs = apicurio.serializer(apicurioConfig());
      byte[] written = apicurio.withLoader(() -> theirs.serialize(topic, example));
      theirs.close();
      RegistryContainers.produce(KAFKA, topic, List.of(written));
      byte[] raw = RegistryContainers.consume(KAFKA, topic, 1).get(0);

      assertThat(raw[0]).as("magic byte").isZero();
      assertThat(ByteBuffer.wrap(raw, 1, 4).getInt()).as("schema id").isEqualTo(id);
      Object read = ours.forValues(schema).deserialize(topic, raw);
      assertThat(read).isEqualTo(EventJson.mapper().treeToValue(example, schema.type()));
    }
  }

  @Test
  void apicurioDeserializerIsNoPassThroughItRefusesWhatViolatesTheSchema() {
    SchemaRegistryClient registry = new SchemaRegistryClient(
        EventSerdeConfig.from(RegistryContainers.registryConfig(APICURIO)));
    int id = registry.register("z-captions-value", EventSchema.CAPTION_EVENT.text());
    byte[] wrong = RegistrySerdeIT.framed(id, "{\"eventId\":5,\"caption\":\"no model\"}");
    Deserializer<JsonNode> theirs = apicurio.deserializer(apicurioConfig());

    assertThatThrownBy(() -> apicurio.withLoader(() -> theirs.deserialize("z-captions", wrong)))
        .hasMessageContaining("Error validating data against json schema")
        .hasMessageContaining("$.eventId: integer found, string expected")
        .hasMessageContaining("required property 'model' not found");
    theirs.close();
  }
}
