package io.captionstream.schema;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * HTTP behaviour of the registry client against a local HTTP server that records every request and answers like a
 * Confluent registry holding one schema (id 7). The real-registry behaviour is covered by RegistrySerdeIT.
 */
class SchemaRegistryClientTest {

  private static final String SCHEMA = EventSchema.IMAGE_REFERENCE.text();

  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private HttpServer server;
  private String base;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/ccompat/", this::answer);
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort() + "/ccompat";
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private void answer(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getRawPath().substring("/ccompat".length());
    requests.add(ex.getRequestMethod() + " " + path);
    authorizations.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
    String body = new String(ex.getRequestBody().readAllBytes(), UTF_8);
    int status = 200;
    String answer;
    if (path.equals("/schemas/ids/7")) {
      answer = new ObjectMapper().createObjectNode().put("schema", SCHEMA).put("schemaType", "JSON").toString();
    } else if (path.startsWith("/schemas/ids/")) {
      status = 404;
      answer = "{\"error_code\":40403,\"message\":\"Schema not found\"}";
    } else if (path.equals("/subjects/in-value/versions/latest")) {
      answer = new ObjectMapper().createObjectNode().put("id", 7).put("version", 3).put("schemaType", "JSON")
          .put("schema", SCHEMA).toString();
    } else if (path.equals("/subjects/in%20put-value/versions") && body.contains("\"schemaType\":\"JSON\"")) {
      answer = "{\"id\":7}";
    } else {
      status = 500;
      answer = "{\"error_code\":50001,\"message\":\"unexpected " + path + "\"}";
    }
    byte[] bytes = answer.getBytes(UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
    ex.close();
  }

  private EventSerde<ImageReference> serde(Map<String, String> config) {
    return EventSerdes.imageReference(config);
  }

  @Test
  void registersUnderTheTopicValueSubjectAsJsonOnceAndReadsBackFromTheCache() {
    EventSerde<ImageReference> images = serde(Map.of("serde.mode", "registry", "schema.registry.url", base));
    ImageReference image = ImageReference.of("a", "http://h/a");

    byte[] first = images.serialize("in put", image);
    byte[] second = images.serialize("in put", image);

    assertThat(first).startsWith(0, 0, 0, 0, 7).isEqualTo(second);
    assertThat(images.deserialize("in put", first)).isEqualTo(image);
    assertThat(requests).containsExactly("POST /subjects/in%20put-value/versions");
  }

  @Test
  void fetchesAnUnknownWriterSchemaByIdOnce() {
    byte[] framed = RegistrySerdeIT.framed(7, "{\"id\":\"a\",\"uri\":\"http://h/a\"}");
    EventSerde<ImageReference> images = serde(Map.of("serde.mode", "registry", "schema.registry.url", base));

    images.deserialize("in", framed);
    images.deserialize("in", framed);

    assertThat(requests).containsExactly("GET /schemas/ids/7");
  }

  @Test
  void useLatestVersionFetchesTheLatestOnceByDefault() {
    EventSerde<ImageReference> images = serde(Map.of("serde.mode", "registry", "schema.registry.url", base,
        "use.latest.version", "true"));
    byte[] first = images.serialize("in", ImageReference.of("a", "http://h/a"));
    images.serialize("in", ImageReference.of("b", "http://h/b"));
    assertThat(first).startsWith(0, 0, 0, 0, 7);
    assertThat(requests).containsExactly("GET /subjects/in-value/versions/latest");
  }

  @Test
  void useLatestVersionRefetchesAfterTheTtl() {
    EventSerde<ImageReference> images = serde(Map.of("serde.mode", "registry", "schema.registry.url", base,
        "use.latest.version", "true", "latest.cache.ttl.sec", "0"));
    images.serialize("in", ImageReference.of("a", "http://h/a"));
    images.serialize("in", ImageReference.of("b", "http://h/b"));
    assertThat(requests).containsExactly(
        "GET /subjects/in-value/versions/latest", "GET /subjects/in-value/versions/latest");
  }

  @Test
  void unknownSchemaIdIsAnInvalidEvent() {
    EventSerde<ImageReference> images = serde(Map.of("serde.mode", "registry", "schema.registry.url", base));
    PlainSerdeTest.assertInvalid(
        () -> images.deserialize("in", RegistrySerdeIT.framed(8, "{}")),
        InvalidEventException.Reason.UNKNOWN_SCHEMA_ID, "unknown schema id 8");
  }

  @Test
  void sendsBasicAuthFromUserInfo() {
    EventSerde<ImageReference> images = serde(Map.of("serde.mode", "registry", "schema.registry.url", base,
        "basic.auth.credentials.source", "USER_INFO", "basic.auth.user.info", "fred:s3cr:et"));
    images.deserialize("in", RegistrySerdeIT.framed(7, "{\"id\":\"a\",\"uri\":\"http://h/a\"}"));
    assertThat(authorizations).containsExactly("Basic ZnJlZDpzM2NyOmV0");
  }

  @Test
  void sendsBasicAuthFromTheUrlAndStripsItFromTheRequest() {
    String withUser = base.replace("http://", "http://fred:p%40ss@");
    EventSerde<ImageReference> images = serde(Map.of("serde.mode", "registry", "schema.registry.url", withUser));
    images.deserialize("in", RegistrySerdeIT.framed(7, "{\"id\":\"a\",\"uri\":\"http://h/a\"}"));
    // fred:p@ss
    assertThat(authorizations).containsExactly("Basic ZnJlZDpwQHNz");
  }

  @Test
  void sendsNoAuthorizationWithoutCredentials() {
    serde(Map.of("serde.mode", "registry", "schema.registry.url", base))
        .deserialize("in", RegistrySerdeIT.framed(7, "{\"id\":\"a\",\"uri\":\"http://h/a\"}"));
    assertThat(authorizations).containsExactly("null");
  }

  @Test
  void unreachableRegistryIsARegistryErrorNotAnInvalidEvent() {
    EventSerde<ImageReference> images =
        serde(Map.of("serde.mode", "registry", "schema.registry.url", "http://127.0.0.1:9"));
    assertThatThrownBy(() -> images.deserialize("in", RegistrySerdeIT.framed(7, "{}")))
        .isInstanceOf(SchemaRegistryException.class)
        .isNotInstanceOf(InvalidEventException.class);
  }

  @Test
  void registryErrorsCarryStatusAndErrorCode() {
    SchemaRegistryClient client = new SchemaRegistryClient(EventSerdeConfig.registry(base));
    assertThatThrownBy(() -> client.latest("nope"))
        .isInstanceOf(SchemaRegistryException.class)
        .hasMessageContaining("HTTP 500")
        .satisfies(e -> {
          assertThat(((SchemaRegistryException) e).status()).isEqualTo(500);
          assertThat(((SchemaRegistryException) e).errorCode()).isEqualTo(50001);
        });
  }
}
