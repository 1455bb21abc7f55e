package io.captionstream.hub;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The two HTTP calls a download needs: {@code HEAD} on the resolve URL (metadata, without following the LFS redirect,
 * whose response carries the {@code X-Linked-*} headers) and a ranged {@code GET} of the bytes (following redirects;
 * the bearer token is only sent to the hub's own host, never to a CDN).
 */
final class HubClient {

  private static final int MAX_REDIRECTS = 5;

  private final HubSettings settings;
  private final HttpClient http;

  HubClient(HubSettings settings) {
    this.settings = settings;
    this.http =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(settings.connectTimeout())
            .build();
  }

  /** Metadata of one file, or empty when the hub answers 404 for it. */
  Optional<FileMetadata> head(String repo, String revision, String file) {
    URI url = settings.resolveUrl(repo, revision, file);
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      HttpResponse<Void> r = send(request(url).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.discarding(), repo, file);
      int status = r.statusCode();
      if (status == 404) {
        if (r.headers().firstValue("X-Error-Code").orElse("").equals("RepoNotFound")) {
          throw notFound(repo, revision, file, r);
        }
        return Optional.empty();
      }
      checkAuth(status, repo, file);
      String location = r.headers().firstValue("Location").orElse(null);
      boolean redirect = status >= 300 && status < 400 && location != null;
      String commit = r.headers().firstValue("X-Repo-Commit").orElse(null);
      String etag =
          r.headers().firstValue("X-Linked-Etag").or(()
              -> r.headers().firstValue("ETag")).map(HubClient::unquote).orElse(null);
      if (redirect && (commit == null || etag == null)) {
        // a relative redirect (renamed repo): follow it, as the metadata belongs to the target
        url = url.resolve(location);
        continue;
      }
      if (status >= 400) {
        throw new HubException(HubException.Kind.HTTP, "hub answered HTTP " + status + " for " + repo + "/" + file);
      }
      if (commit == null || etag == null) {
        throw new HubException(HubException.Kind.HTTP,
            "the server at " + settings.endpoint() + " is not a Hugging Face hub (no X-Repo-Commit/ETag for "
                + repo + "/" + file + "); check HF_ENDPOINT");
      }
      long size =
          r.headers().firstValue("X-Linked-Size")
              .or(() -> r.headers().firstValue("Content-Length"))
              .map(Long::parseLong)
              .orElse(-1L);
      URI where = redirect ? url.resolve(location) : url;
      return Optional.of(new FileMetadata(commit, etag, size, where));
    }
    throw new HubException(HubException.Kind.HTTP, "too many redirects for " + repo + "/" + file);
  }

  /**
   * Opens the bytes of a file from {@code offset} on. The response is {@code 206} when the server honoured the range;
   * a {@code 200} means it sent everything from byte 0.
   */
  HttpResponse<InputStream> get(URI location, long offset, String repo, String file) {
    URI url = location;
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      HttpRequest.Builder b = request(url).GET();
      if (offset > 0) {
        b.header("Range", "bytes=" + offset + "-");
      }
      HttpResponse<InputStream> r = send(b.build(), HttpResponse.BodyHandlers.ofInputStream(), repo, file);
      int status = r.statusCode();
      if (status >= 300 && status < 400 && r.headers().firstValue("Location").isPresent()) {
        closeQuietly(r.body());
        url = url.resolve(r.headers().firstValue("Location").get());
        continue;
      }
      if (status == 200 || status == 206 || status == 416) {
        return r;
      }
      closeQuietly(r.body());
      checkAuth(status, repo, file);
      if (status == 404) {
        throw new HubException(HubException.Kind.NOT_FOUND, "the hub has no file " + file + " in " + repo);
      }
      throw new HubException(HubException.Kind.HTTP, "download of " + repo + "/" + file + " failed: HTTP " + status);
    }
    throw new HubException(HubException.Kind.HTTP, "too many redirects for " + repo + "/" + file);
  }

  private HttpRequest.Builder request(URI url) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(url)
            .timeout(Duration.ofMinutes(5))
            .header("Accept-Encoding", "identity")
            .header("User-Agent", userAgent());
    if (settings.token() != null && sameHost(url)) {
      b.header("Authorization", "Bearer " + settings.token());
    }
    return b;
  }

  private boolean sameHost(URI url) {
    URI hub = settings.endpoint();
    return hub.getHost() != null && hub.getHost().equalsIgnoreCase(url.getHost()) && hub.getPort() == url.getPort();
  }

  private <T> HttpResponse<T> send(HttpRequest req, HttpResponse.BodyHandler<T> handler, String repo, String file) {
    try {
      return http.send(req, handler);
    } catch (HttpConnectTimeoutException | ConnectException | UnknownHostException e) {
      throw unreachable(e);
    } catch (HttpTimeoutException e) {
      throw new HubException(HubException.Kind.UNREACHABLE, "the hub did not answer in time for " + repo + "/" + file,
          e);
    } catch (IOException e) {
      if (rootCause(e) instanceof UnknownHostException || rootCause(e) instanceof ConnectException) {
        throw unreachable(e);
      }
      throw new HubException(HubException.Kind.IO, "network error on " + repo + "/" + file + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HubException(HubException.Kind.IO, "interrupted", e);
    }
  }

  private HubException unreachable(Exception e) {
    return new HubException(HubException.Kind.UNREACHABLE,
        "cannot reach the model hub at " + settings.endpoint() + " (" + describe(e) + "). Without network access, "
            + "pass --model-dir DIR with a local model folder (or set HF_ENDPOINT to a reachable mirror).", e);
  }

  private void checkAuth(int status, String repo, String file) {
    if (status == 401 || status == 403) {
      String hint = settings.token() == null
          ? "set HF_TOKEN to a Hugging Face access token if the repository is gated or private"
          : "the HF_TOKEN given was refused; check that it is valid and has access to " + repo;
      throw new HubException(HubException.Kind.UNAUTHORIZED,
          "the hub refused access to " + repo + "/" + file + " (HTTP " + status + "): " + hint);
    }
  }

  private static HubException notFound(String repo, String revision, String file, HttpResponse<?> r) {
    return new HubException(HubException.Kind.NOT_FOUND,
        "repository " + repo + " (revision " + revision + ") not found on the hub while looking for " + file);
  }

  static String unquote(String etag) {
    String e = etag.trim();
    if (e.startsWith("W/")) {
      e = e.substring(2);
    }
    if (e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")) {
      e = e.substring(1, e.length() - 1);
    }
    return e.toLowerCase(Locale.ROOT);
  }

  private static Throwable rootCause(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c;
  }

  private static String describe(Exception e) {
    Throwable c = rootCause(e);
    String m = c.getMessage();
    return c.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }

  private static String userAgent() {
    return "captionstream-enricher; java/" + System.getProperty("java.version");
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // nothing to do: the response is abandoned
    }
  }
}
