package io.captionstream.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.StreamSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small client of the Confluent Schema Registry REST API (also served by Apicurio Registry under
 * {@code /apis/ccompat/v7}), on {@code java.net.http.HttpClient}. TLS uses the JDK's default SSLContext
 * ({@code javax.net.ssl.trustStore} etc.). Base URLs are tried in order until one answers. Schemas by id and ids of
 * registered schemas are cached for the life of the client (they never change); nothing else is. Thread-safe.
 */
public final class SchemaRegistryClient {

  private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryClient.class);
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

  /** A schema as the registry holds it. */
  public record RegisteredSchema(int id, int version, String schemaType, String schema) {}

  private final List<URI> baseUrls;
  private final Optional<String> authorization;
  private final Duration timeout;
  private final HttpClient http;
  private final ObjectMapper mapper = new ObjectMapper();
  private final Map<Integer, String> schemasById = new ConcurrentHashMap<>();
  private final Map<String, Integer> idsBySubjectAndSchema = new ConcurrentHashMap<>();
  private final Map<String, CachedLatest> latestBySubject = new ConcurrentHashMap<>();
  private final Duration latestTtl;

  private record CachedLatest(RegisteredSchema schema, long fetchedAtNanos) {}

  public SchemaRegistryClient(EventSerdeConfig config) {
    this(config.registryUrls(), config.basicAuthUserInfo(), config.requestTimeout(), config.latestCacheTtl());
  }

  /**
   * @param latestTtl how long {@link #latestCached} trusts a fetched latest version; negative: forever
   */
  public SchemaRegistryClient(
      List<URI> baseUrls, Optional<String> basicAuthUserInfo, Duration timeout, Duration latestTtl) {
    if (baseUrls.isEmpty()) {
      throw new IllegalArgumentException("no schema registry URL");
    }
    this.baseUrls = List.copyOf(baseUrls);
    this.authorization = basicAuthUserInfo.map(
        u -> "Basic " + Base64.getEncoder().encodeToString(u.getBytes(StandardCharsets.UTF_8)));
    this.timeout = timeout;
    this.latestTtl = latestTtl;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
  }

  /** Registers {@code schema} (JSON Schema text) under {@code subject}; returns its id. Idempotent, cached. */
  public int register(String subject, String schema) {
    return idsBySubjectAndSchema.computeIfAbsent(subject + '\n' + schema, k -> {
      JsonNode answer = send("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema));
      int id = answer.path("id").asInt(-1);
      LOG.info("registered schema id {} under subject {}", id, subject);
      schemasById.putIfAbsent(id, schema);
      return id;
    });
  }

  /** The id of {@code schema} if it is registered under {@code subject} (no registration); cached. */
  public int lookup(String subject, String schema) {
    return idsBySubjectAndSchema.computeIfAbsent(subject + '\n' + schema, k -> {
      JsonNode answer = send("POST", "/subjects/" + encode(subject), schemaBody(schema));
      int id = answer.path("id").asInt(-1);
      schemasById.putIfAbsent(id, schema);
      return id;
    });
  }

  /** The latest version under {@code subject} (not cached: it changes when a new version is registered). */
  public RegisteredSchema latest(String subject) {
    JsonNode a = send("GET", "/subjects/" + encode(subject) + "/versions/latest", null);
    RegisteredSchema s = new RegisteredSchema(
        a.path("id").asInt(-1), a.path("version").asInt(-1), a.path("schemaType").asText("AVRO"),
            a.path("schema").asText());
    schemasById.putIfAbsent(s.id(), s.schema());
    return s;
  }

  /** {@link #latest}, reused for the configured TTL ({@code latest.cache.ttl.sec}). */
  public RegisteredSchema latestCached(String subject) {
    CachedLatest cached = latestBySubject.get(subject);
    long now = System.nanoTime();
    if (cached != null && (latestTtl.isNegative() || now - cached.fetchedAtNanos() < latestTtl.toNanos())) {
      return cached.schema();
    }
    RegisteredSchema fresh = latest(subject);
    latestBySubject.put(subject, new CachedLatest(fresh, now));
    return fresh;
  }

  /** The schema text with this id, or empty when the registry does not know the id (HTTP 404). Cached. */
  public Optional<String> schemaById(int id) {
    String cached = schemasById.get(id);
    if (cached != null) {
      return Optional.of(cached);
    }
    try {
      String schema = send("GET", "/schemas/ids/" + id, null).path("schema").asText();
      schemasById.putIfAbsent(id, schema);
      return Optional.of(schema);
    } catch (SchemaRegistryException e) {
      if (e.status() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** Sets the compatibility level of a subject ({@code BACKWARD}, {@code FORWARD}, {@code FULL}, {@code NONE}...). */
  public void setCompatibility(String subject, String level) {
    ObjectNode body = mapper.createObjectNode().put("compatibility", level);
    send("PUT", "/config/" + encode(subject), body);
  }

  /** Whether {@code schema} is compatible with the latest version of {@code subject} under its compatibility level. */
  public boolean isCompatible(String subject, String schema) {
    JsonNode a = send("POST", "/compatibility/subjects/" + encode(subject) + "/versions/latest", schemaBody(schema));
    return a.path("is_compatible").asBoolean(false);
  }

  /** Version numbers registered under {@code subject}. */
  public List<Integer> versions(String subject) {
    JsonNode a = send("GET", "/subjects/" + encode(subject) + "/versions", null);
    return StreamSupport.stream(a.spliterator(), false).map(JsonNode::asInt).toList();
  }

  private ObjectNode schemaBody(String schema) {
    return mapper.createObjectNode().put("schemaType", "JSON").put("schema", schema);
  }

  private JsonNode send(String method, String path, JsonNode body) {
    SchemaRegistryException last = null;
    for (URI base : baseUrls) {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
          .timeout(timeout)
          .header("Accept", CONTENT_TYPE + ", application/json");
      authorization.ifPresent(a -> request.header("Authorization", a));
      if (body == null) {
        request.method(method, HttpRequest.BodyPublishers.noBody());
      } else {
        request.header("Content-Type", CONTENT_TYPE)
            .method(method, HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
      }
      HttpResponse<String> response;
      try {
        response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      } catch (IOException e) {
        last = new SchemaRegistryException(method + " " + base + path + " failed: " + e, e);
        LOG.warn("schema registry {} unreachable, trying the next URL: {}", base, e.toString());
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SchemaRegistryException("interrupted while calling the schema registry", e);
      }
      return answer(method, path, response);
    }
    throw last;
  }

  private JsonNode answer(String method, String path, HttpResponse<String> response) {
    JsonNode json;
    try {
      json = response.body().isBlank() ? mapper.createObjectNode() : mapper.readTree(response.body());
    } catch (IOException e) {
      json = mapper.createObjectNode().put("message", response.body());
    }
    if (response.statusCode() / 100 != 2) {
      String message = json.path("message").asText(response.body());
      throw new SchemaRegistryException(
          method + " " + path + ": HTTP " + response.statusCode() + " " + message,
          response.statusCode(),
          json.path("error_code").asInt(-1));
    }
    return json;
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
