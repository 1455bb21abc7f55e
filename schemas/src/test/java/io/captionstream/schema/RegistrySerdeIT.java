package io.captionstream.schema;

import static io.captionstream.schema.PlainSerdeTest.assertInvalid;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.captionstream.schema.InvalidEventException.Reason;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/** Registry mode against a real Apicurio Registry (Confluent API) and a real Kafka broker. */
@Testcontainers
class RegistrySerdeIT {

  @Container static final GenericContainer<?> APICURIO = RegistryContainers.apicurio();
  @Container static final KafkaContainer KAFKA = RegistryContainers.kafka();

  private final ObjectMapper mapper = new ObjectMapper();

  private EventSerdes serdes(Map<String, Object> extra) {
    Map<String, Object> config = RegistryContainers.registryConfig(APICURIO);
    config.putAll(extra);
    return new EventSerdes(EventSerdeConfig.from(config));
  }

  private SchemaRegistryClient client() {
    return new SchemaRegistryClient(EventSerdeConfig.from(RegistryContainers.registryConfig(APICURIO)));
  }

  @Test
  void roundTripsEveryEventTypeThroughKafkaWithRegisteredSchemas() throws Exception {
    EventSerdes serdes = serdes(Map.of());
    roundTrip("rt-images", serdes.forValues(EventSchema.IMAGE_REFERENCE), Events.fullImageReference());
    roundTrip("rt-captions", serdes.forValues(EventSchema.CAPTION_EVENT), Events.fullCaptionEvent());
    roundTrip("rt-errors", serdes.forValues(EventSchema.CAPTION_ERROR), Events.fullCaptionError());
  }

  private <T> void roundTrip(String topic, EventSerde<T> serde, T event) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.getBootstrapServers());
    try (KafkaProducer<String, T> producer = new KafkaProducer<>(p, new StringSerializer(), serde.serializer())) {
      producer.send(new ProducerRecord<>(topic, "k", event)).get();
    }

    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.getBootstrapServers());
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "rt-" + topic);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<T> read = new ArrayList<>();
    try (KafkaConsumer<String, T> consumer = new KafkaConsumer<>(c, new StringDeserializer(), serde.deserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (read.isEmpty() && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, T> r : consumer.poll(Duration.ofMillis(500))) {
          read.add(r.value());
        }
      }
    }
    assertThat(read).containsExactly(event);

    // the bytes on the topic are Confluent-framed with the id the registry gave the bundled schema
    byte[] raw = RegistryContainers.consume(KAFKA, topic, 1).get(0);
    int id = client().lookup(topic + "-value", serde.schema().text());
    assertThat(raw[0]).isZero();
    assertThat(ByteBuffer.wrap(raw, 1, 4).getInt()).isEqualTo(id);
    assertThat(mapper.readTree(Arrays.copyOfRange(raw, 5, raw.length)))
        .isEqualTo(mapper.readTree(new PlainWireFormat<>(new EventJson<>(serde.schema())).write(topic, event)));
    SchemaRegistryClient.RegisteredSchema latest = client().latest(topic + "-value");
    assertThat(latest.schemaType()).isEqualTo("JSON");
    assertThat(latest.id()).isEqualTo(id);
    assertThat(mapper.readTree(latest.schema())).isEqualTo(serde.schema().node());
  }

  @Test
  void badBytesFromKafkaRaiseInvalidEventExceptionWithTheirReason() throws Exception {
    EventSerde<ImageReference> images = serdes(Map.of()).forValues(EventSchema.IMAGE_REFERENCE);
    int id = client().register("bad-value", EventSchema.IMAGE_REFERENCE.text());
    List<byte[]> bad = new ArrayList<>();
    bad.add(null);
    bad.add(new byte[] {0, 0, 0});
    bad.add("{\"id\":\"a\",\"uri\":\"http://h/a\"}".getBytes(UTF_8));
    bad.add(framed(987_654, "{\"id\":\"a\",\"uri\":\"http://h/a\"}"));
    bad.add(framed(id, "{\"id\":\"a\",\"uri\":"));
    bad.add(framed(id, "{\"id\":\"a\",\"uri\":\"gopher://h/a\"}"));
    bad.add(framed(id, "{\"id\":\"a\",\"uri\":\"http://h/a\"}"));
    RegistryContainers.produce(KAFKA, "bad", bad);

    List<byte[]> read = RegistryContainers.consume(KAFKA, "bad", bad.size());

    assertInvalid(() -> images.deserialize("bad", read.get(0)), Reason.NULL_PAYLOAD, "null");
    assertInvalid(() -> images.deserialize("bad", read.get(1)), Reason.TRUNCATED, "3 bytes");
    assertInvalid(() -> images.deserialize("bad", read.get(2)), Reason.WRONG_MAGIC_BYTE, "0x7b");
    assertInvalid(() -> images.deserialize("bad", read.get(3)), Reason.UNKNOWN_SCHEMA_ID, "987654");
    assertInvalid(() -> images.deserialize("bad", read.get(4)), Reason.NOT_JSON, "not JSON");
    assertInvalid(() -> images.deserialize("bad", read.get(5)), Reason.SCHEMA_VIOLATION, "/uri");
    assertThat(images.deserialize("bad", read.get(6))).isEqualTo(ImageReference.of("a", "http://h/a"));
  }

  @Test
  void withoutAutoRegisterAnUnregisteredSchemaIsARegistryErrorNotAnInvalidEvent() {
    EventSerde<CaptionError> errors =
        serdes(Map.of(EventSerdeConfig.AUTO_REGISTER_SCHEMAS, "false")).forValues(EventSchema.CAPTION_ERROR);

    assertThatThrownBy(() -> errors.serialize("lookup", Events.fullCaptionError()))
        .isInstanceOf(SchemaRegistryException.class)
        .satisfies(e -> assertThat(((SchemaRegistryException) e).status()).isEqualTo(404));

    int id = client().register("lookup-value", EventSchema.CAPTION_ERROR.text());
    byte[] bytes = errors.serialize("lookup", Events.fullCaptionError());
    assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
  }

  @Test
  void keySerdesRegisterUnderTheKeySubject() {
    EventSerde<ImageReference> keys = serdes(Map.of()).forKeys(EventSchema.IMAGE_REFERENCE);
    byte[] bytes = keys.serialize("keyed", ImageReference.of("a", "http://h/a"));
    assertThat(client().latest("keyed-key").id()).isEqualTo(ByteBuffer.wrap(bytes, 1, 4).getInt());
  }

  @Test
  void everyUrlInTheListIsTriedInOrder() {
    Map<String, Object> config = RegistryContainers.registryConfig(APICURIO);
    config.put(EventSerdeConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:9/nothing," + RegistryContainers.ccompatUrl(APICURIO));
    EventSerde<ImageReference> images = EventSerdes.imageReference(config);
    ImageReference image = Events.fullImageReference();
    assertThat(images.deserialize("failover", images.serialize("failover", image))).isEqualTo(image);
  }

  @Test
  void registryTakesACompatibleV2OfADraft2020Schema() {
    SchemaRegistryClient client = client();
    String subject = "evolution-value";
    int v1 = client.register(subject, EventSchema.CAPTION_EVENT.text());
    int v2 = client.register(subject, SchemaEvolution.withOptionalProperty(EventSchema.CAPTION_EVENT.text(),
        "language"));

    assertThat(v2).isNotEqualTo(v1);
    assertThat(client.versions(subject)).containsExactly(1, 2);
    assertThat(client.schemaById(v2)).hasValueSatisfying(s -> assertThat(s).contains("language"));
  }

  /**
   * Apicurio 3.3.3 checks JSON Schema compatibility with everit, which knows drafts 4-7 only: a rule on a draft
   * 2020-12 subject answers HTTP 500 "could not determine version" (Apicurio issue #9079). Our client reports that as
   * a {@link SchemaRegistryException}, never as an invalid event. The README tells operators not to set rules there.
   */
  @Test
  void apicurioCannotEvaluateCompatibilityRulesOnDraft2020Schemas() {
    SchemaRegistryClient client = client();
    String subject = "rule2020-value";
    client.register(subject, EventSchema.CAPTION_EVENT.text());
    client.setCompatibility(subject, "BACKWARD");
    String v2 = SchemaEvolution.withOptionalProperty(EventSchema.CAPTION_EVENT.text(), "language");

    assertThatThrownBy(() -> client.register(subject, v2))
        .isInstanceOf(SchemaRegistryException.class)
        .hasMessageContaining("could not determine version");
  }

  /** The evolution rules, enforced by the registry's own checker on the draft-07 rendering of the same schema. */
  @Test
  void backwardRuleTakesAnAddedOptionalPropertyAndRefusesRetypingOrANewRequiredProperty() {
    SchemaRegistryClient client = client();
    String subject = "evolution7-value";
    String v1 = SchemaEvolution.asDraft07(EventSchema.CAPTION_EVENT.text());
    client.register(subject, v1);
    client.setCompatibility(subject, "BACKWARD");

    String v2 = SchemaEvolution.withOptionalProperty(v1, "language");
    assertThat(client.isCompatible(subject, v2)).isTrue();
    client.register(subject, v2);

    String retyped = SchemaEvolution.retyped(v2, "caption", "integer");
    assertThat(client.isCompatible(subject, retyped)).isFalse();
    assertThatThrownBy(() -> client.register(subject, retyped))
        .isInstanceOf(SchemaRegistryException.class)
        .satisfies(e -> assertThat(((SchemaRegistryException) e).status()).isEqualTo(409));
    String newRequired = SchemaEvolution.withRequiredProperty(v2, "score");
    assertThat(client.isCompatible(subject, newRequired)).isFalse();
    String removed = SchemaEvolution.withoutProperty(v2, "worker");
    assertThat(client.isCompatible(subject, removed)).isFalse();
    assertThat(client.versions(subject)).containsExactly(1, 2);
  }

  /**
   * The input's open content model (unknown properties allowed) changes what the registry calls compatible: adding a
   * property narrows what an open schema accepts, so BACKWARD refuses it, while FORWARD (old readers, new data) takes
   * it. Hence FORWARD on the input subject, BACKWARD on the closed output subjects.
   */
  @Test
  void openInputModelEvolvesUnderForwardNotBackward() {
    SchemaRegistryClient client = client();
    String v1 = SchemaEvolution.asDraft07(EventSchema.IMAGE_REFERENCE.text());
    String v2 = SchemaEvolution.withOptionalProperty(v1, "priority");
    client.register("open-backward-value", v1);
    client.setCompatibility("open-backward-value", "BACKWARD");
    client.register("open-forward-value", v1);
    client.setCompatibility("open-forward-value", "FORWARD");

    assertThat(client.isCompatible("open-backward-value", v2)).isFalse();
    assertThat(client.isCompatible("open-forward-value", v2)).isTrue();
    assertThat(client.isCompatible("open-forward-value", SchemaEvolution.retyped(v1, "prompt", "integer"))).isFalse();
    assertThat(client.isCompatible("open-forward-value", SchemaEvolution.withoutProperty(v1, "uri"))).isFalse();
  }

  @Test
  void useLatestVersionWritesWithTheNewestSchemaAndOldCodeStillReadsIt() throws Exception {
    SchemaRegistryClient client = client();
    String subject = "latest-value";
    client.register(subject, EventSchema.CAPTION_EVENT.text());
    String v2 = SchemaEvolution.withOptionalProperty(EventSchema.CAPTION_EVENT.text(), "language");
    int v2Id = client.register(subject, v2);
    EventSerde<CaptionEvent> captions = serdes(Map.of(
        EventSerdeConfig.USE_LATEST_VERSION, "true", EventSerdeConfig.AUTO_REGISTER_SCHEMAS, "false"))
        .forValues(EventSchema.CAPTION_EVENT);

    byte[] bytes = captions.serialize("latest", Events.fullCaptionEvent());
    assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(v2Id);

    // a newer writer fills the new property; this code's reader (bundled v1 schema) ignores it
    ObjectNode newer = (ObjectNode) mapper.readTree(Arrays.copyOfRange(bytes, 5, bytes.length));
    newer.put("language", "en");
    CaptionEvent read = captions.deserialize("latest", framed(v2Id, newer.toString()));
    assertThat(read).isEqualTo(Events.fullCaptionEvent());
    // ... but the writer's schema is still enforced
    newer.put("language", 42);
    assertInvalid(() -> captions.deserialize("latest", framed(v2Id, newer.toString())), Reason.SCHEMA_VIOLATION,
        "/language");
  }

  static byte[] framed(int id, String json) {
    byte[] body = json.getBytes(UTF_8);
    return ByteBuffer.allocate(5 + body.length).put((byte) 0).putInt(id).put(body).array();
  }
}
