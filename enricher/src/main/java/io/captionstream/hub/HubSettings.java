package io.captionstream.hub;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Where the hub is and where its files are cached, read the way {@code huggingface_hub} reads them.
 *
 * @param endpoint       {@code HF_ENDPOINT}, default {@code https://huggingface.co}
 * @param token          {@code HF_TOKEN}, sent as a bearer token; {@code null} = anonymous
 * @param hubCache       {@code HF_HUB_CACHE}, else {@code $HF_HOME/hub}, else {@code ~/.cache/huggingface/hub}
 * @param offline        {@code HF_HUB_OFFLINE=1}: never touch the network
 * @param connectTimeout how long to wait for a TCP connection before declaring the hub unreachable
 */
public record HubSettings(URI endpoint, String token, Path hubCache, boolean offline, Duration connectTimeout) {

  public static final String DEFAULT_ENDPOINT = "https://huggingface.co";

  public HubSettings {
    String e = endpoint.toString();
    if (e.endsWith("/")) {
      endpoint = URI.create(e.substring(0, e.length() - 1));
    }
  }

  /** Settings from the process environment. */
  public static HubSettings fromEnvironment() {
    return fromEnvironment(System.getenv(), Path.of(System.getProperty("user.home")));
  }

  /** Settings from the given environment (tests pass their own map). */
  public static HubSettings fromEnvironment(Map<String, String> env, Path userHome) {
    String endpoint = nonBlank(env.get("HF_ENDPOINT"), DEFAULT_ENDPOINT);
    String token = nonBlank(env.get("HF_TOKEN"), null);
    Path hfHome =
        env.get("HF_HOME") != null && !env.get("HF_HOME").isBlank()
            ? Path.of(env.get("HF_HOME"))
            : env.get("XDG_CACHE_HOME") != null && !env.get("XDG_CACHE_HOME").isBlank()
                ? Path.of(env.get("XDG_CACHE_HOME"), "huggingface")
                : userHome.resolve(".cache").resolve("huggingface");
    Path cache =
        env.get("HF_HUB_CACHE") != null && !env.get("HF_HUB_CACHE").isBlank()
            ? Path.of(env.get("HF_HUB_CACHE"))
            : hfHome.resolve("hub");
    boolean offline = isTrue(env.get("HF_HUB_OFFLINE"));
    return new HubSettings(URI.create(endpoint), token, cache, offline, Duration.ofSeconds(10));
  }

  public HubSettings withEndpoint(URI e) {
    return new HubSettings(e, token, hubCache, offline, connectTimeout);
  }

  public HubSettings withHubCache(Path c) {
    return new HubSettings(endpoint, token, c, offline, connectTimeout);
  }

  public HubSettings withToken(String t) {
    return new HubSettings(endpoint, t, hubCache, offline, connectTimeout);
  }

  public HubSettings withOffline(boolean o) {
    return new HubSettings(endpoint, token, hubCache, o, connectTimeout);
  }

  public HubSettings withConnectTimeout(Duration d) {
    return new HubSettings(endpoint, token, hubCache, offline, d);
  }

  /** The URL of one file at one revision: {@code {endpoint}/{repo}/resolve/{revision}/{file}}. */
  public URI resolveUrl(String repo, String revision, String file) {
    return URI.create(endpoint + "/" + repo + "/resolve/" + encode(revision) + "/" + file);
  }

  private static String encode(String revision) {
    return revision.replace("/", "%2F");
  }

  private static String nonBlank(String v, String fallback) {
    return v == null || v.isBlank() ? fallback : v.trim();
  }

  private static boolean isTrue(String v) {
    return v != null && (v.equals("1") || v.equalsIgnoreCase("true") || v.equalsIgnoreCase("yes")
        || v.equalsIgnoreCase("on"));
  }
}
