package io.captionstream.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import io.captionstream.schema.ErrorCode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLSocketFactory;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The connection goes to the address the guard checked: one lookup per hop, none at connect time (no DNS
 * rebinding gap). Both servers are on loopback (127.0.0.1 is "checked", 127.0.0.2 plays the rebound answer).
 */
class PinnedConnectionTest {

  private final List<String> lookups = new CopyOnWriteArrayList<>();
  private HttpServer checked;
  private HttpServer rebound;

  @AfterEach
  void stop() {
    if (checked != null) {
      checked.stop(0);
    }
    if (rebound != null) {
      rebound.stop(0);
    }
  }

  private static HttpServer serve(String ip, int port, String body) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(ip), port), 0);
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    server.createContext("/img.png", ex -> {
      ex.sendResponseHeaders(200, bytes.length);
      try (OutputStream o = ex.getResponseBody()) {
        o.write(bytes);
      }
    });
    server.createContext("/hop", ex -> {
      ex.getResponseHeaders().add("Location", "http://cdn.test:" + ex.getLocalAddress().getPort() + "/img.png");
      ex.sendResponseHeaders(302, -1);
      ex.close();
    });
    server.start();
    return server;
  }

  /** Answers 127.0.0.1 the first time a name is asked, 127.0.0.2 (the "rebound" address) every later time. */
  private HostResolver rebinding() {
    return name -> {
      boolean first = !lookups.contains(name);
      lookups.add(name);
      return List.of(InetAddress.getByName(first ? "127.0.0.1" : "127.0.0.2"));
    };
  }

  private ImageFetcher fetcher(HostResolver resolver) {
    return new ImageFetcher(FetchPolicy.defaults().withAllowPrivateAddresses(true), resolver,
        (SSLSocketFactory) SSLSocketFactory.getDefault());
  }

  @Test
  void theConnectionGoesToTheCheckedAddressNotToALaterAnswer() throws Exception {
    checked = serve("127.0.0.1", 0, "checked");
    try {
      rebound = serve("127.0.0.2", checked.getAddress().getPort(), "rebound");
    } catch (IOException e) {
      assumeTrue(false, "cannot bind 127.0.0.2 here: " + e.getMessage());
    }
    int port = checked.getAddress().getPort();
    try (ImageFetcher f = fetcher(rebinding())) {
      byte[] got = f.fetch("http://images.test:" + port + "/img.png");
      assertThat(new String(got, StandardCharsets.UTF_8)).isEqualTo("checked");
    }
    assertThat(lookups).containsExactly("images.test");
  }

  @Test
  void aNameOnlyTheInjectedResolverKnowsIsFetchedWithOneLookupPerHop() throws Exception {
    checked = serve("127.0.0.1", 0, "checked");
    int port = checked.getAddress().getPort();
    HostResolver resolver = name -> {
      lookups.add(name);
      if (!name.endsWith(".test")) {
        throw new UnknownHostException(name);
      }
      return List.of(InetAddress.getByName("127.0.0.1"));
    };
    try (ImageFetcher f = fetcher(resolver)) {
      assertThat(new String(f.fetch("http://images.test:" + port + "/hop"), StandardCharsets.UTF_8))
          .isEqualTo("checked");
    }
    assertThat(lookups).containsExactly("images.test", "cdn.test");
  }

  @Test
  void aNameThatResolvesToLoopbackIsRefusedWithoutConnecting() throws Exception {
    checked = serve("127.0.0.1", 0, "checked");
    int port = checked.getAddress().getPort();
    try (ImageFetcher guarded = new ImageFetcher(FetchPolicy.defaults(), rebinding(),
        (SSLSocketFactory) SSLSocketFactory.getDefault())) {
      Assertions.assertThatThrownBy(() -> guarded.fetch("http://evil.test:" + port + "/img.png"))
          .isInstanceOfSatisfying(FetchException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN_ADDRESS));
    }
    assertThat(lookups).containsExactly("evil.test");
  }
}
