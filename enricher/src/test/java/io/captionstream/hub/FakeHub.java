package io.captionstream.hub;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local imitation of the Hugging Face hub's download protocol: {@code /{repo}/resolve/{rev}/{file}} answers small
 * files itself (git blob sha1 {@code ETag}) and redirects LFS files ({@code .onnx}, {@code .onnx_data}) to a CDN-like
 * path on another host name ({@code localhost} instead of {@code 127.0.0.1}) with {@code X-Linked-Etag} = sha256 and
 * {@code X-Linked-Size}; the CDN honours {@code Range}. Knobs make it cut a connection, corrupt bytes or demand a
 * token.
 */
final class FakeHub implements AutoCloseable {

  static final String COMMIT = "1f2e3d4c5b6a79881f2e3d4c5b6a79881f2e3d4c";

  record Request(String method, String path, String range, String authorization) {}

  final String repo;
  final Map<String, byte[]> files = new ConcurrentHashMap<>();
  final List<Request> requests = new CopyOnWriteArrayList<>();
  /** sha256s whose next CDN GET sends only half of the bytes and then drops the connection. */
  final Set<String> cutOnce = ConcurrentHashMap.newKeySet();
  /** sha256s whose CDN bytes differ from what the etag promises. */
  final Set<String> corrupt = ConcurrentHashMap.newKeySet();
  volatile String requiredToken;

  private final HttpServer server;

  FakeHub(String repo) throws IOException {
    this.repo = repo;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  static boolean isLfs(String path) {
    return path.endsWith(".onnx") || path.endsWith(".onnx_data");
  }

  static String sha256(byte[] b) {
    return hex("SHA-256", b);
  }

  static String gitSha1(byte[] b) {
    byte[] header = ("blob " + b.length + "\0").getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[header.length + b.length];
    System.arraycopy(header, 0, all, 0, header.length);
    System.arraycopy(b, 0, all, header.length, b.length);
    return hex("SHA-1", all);
  }

  private static String hex(String alg, byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance(alg).digest(b));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  List<Request> cdnGets() {
    return requests.stream().filter(r -> r.method.equals("GET") && r.path.startsWith("/cdn/")).toList();
  }

  private void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    String method = ex.getRequestMethod();
    requests.add(new Request(method, path, ex.getRequestHeaders().getFirst("Range"),
        ex.getRequestHeaders().getFirst("Authorization")));
    if (path.startsWith("/cdn/")) {
      serveCdn(ex, path.substring("/cdn/".length()), method);
      ex.close();
      return;
    }
    try (ex) {
      String prefix = "/" + repo + "/resolve/";
      if (!path.startsWith(prefix)) {
        ex.getResponseHeaders().set("X-Error-Code", "RepoNotFound");
        ex.sendResponseHeaders(401, -1);
        return;
      }
      if (requiredToken != null && !("Bearer "
          + requiredToken).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
        ex.getResponseHeaders().set("X-Error-Code", "GatedRepo");
        ex.sendResponseHeaders(401, -1);
        return;
      }
      String rest = path.substring(prefix.length());
      String file = rest.substring(rest.indexOf('/') + 1);
      byte[] body = files.get(file);
      if (body == null) {
        ex.getResponseHeaders().set("X-Error-Code", "EntryNotFound");
        ex.sendResponseHeaders(404, -1);
        return;
      }
      ex.getResponseHeaders().set("X-Repo-Commit", COMMIT);
      if (isLfs(file)) {
        String sha = sha256(body);
        ex.getResponseHeaders().set("X-Linked-Etag", "\"" + sha + "\"");
        ex.getResponseHeaders().set("X-Linked-Size", Long.toString(body.length));
        ex.getResponseHeaders().set("ETag", "\"" + gitSha1(body) + "\"");
        int port = server.getAddress().getPort();
        ex.getResponseHeaders().set("Location", "http://localhost:" + port + "/cdn/" + sha + "?X-Amz-Signature=abc");
        ex.sendResponseHeaders(302, -1);
        return;
      }
      ex.getResponseHeaders().set("ETag", "\"" + gitSha1(body) + "\"");
      if (method.equals("HEAD")) {
        ex.getResponseHeaders().set("X-Linked-Size",
            Long.toString(body.length)); // HEAD cannot carry Content-Length here
        ex.sendResponseHeaders(200, -1);
      } else {
        ex.sendResponseHeaders(200, body.length);
        ex.getResponseBody().write(body);
      }
    }
  }

  private void serveCdn(HttpExchange ex, String sha, String method) throws IOException {
    byte[] body = files.values().stream().filter(b -> sha256(b).equals(sha)).findFirst().orElse(null);
    if (body == null) {
      ex.sendResponseHeaders(404, -1);
      return;
    }
    if (corrupt.contains(sha)) {
      body = body.clone();
      body[body.length / 2] ^= 0x5a;
    }
    int from = 0;
    String range = ex.getRequestHeaders().getFirst("Range");
    if (range != null && range.startsWith("bytes=") && range.endsWith("-")) {
      from = Integer.parseInt(range.substring(6, range.length() - 1));
      if (from >= body.length) {
        ex.getResponseHeaders().set("Content-Range", "bytes */" + body.length);
        ex.sendResponseHeaders(416, -1);
        return;
      }
      ex.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
    }
    int length = body.length - from;
    ex.sendResponseHeaders(range != null ? 206 : 200, length);
    OutputStream out = ex.getResponseBody();
    if (cutOnce.remove(sha)) {
      out.write(body, from, length / 2);
      out.flush();
      // a handler that throws makes the server drop the connection: the client sees a short body
      throw new IOException("connection cut on purpose after " + length / 2 + " bytes");
    }
    out.write(body, from, length);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
