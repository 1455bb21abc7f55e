package io.captionstream.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.captionstream.schema.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fetcher's own HTTP/1.1 client against canned responses: body framing, interim responses, bad replies. */
class HttpFramingTest {

  private ServerSocket server;
  private ImageFetcher fetcher;

  @BeforeEach
  void open() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    fetcher = new ImageFetcher(FetchPolicy.defaults().withAllowPrivateAddresses(true).withMaxBytes(1024)
        .withReadTimeout(Duration.ofSeconds(2)).withRetries(0, Duration.ZERO));
  }

  @AfterEach
  void close() throws IOException {
    server.close();
    fetcher.close();
  }

  /** Serves {@code response} to the next connection; completes with the request it read. */
  private CompletableFuture<String> answerOnce(String response) {
    return CompletableFuture.supplyAsync(() -> {
      try (Socket s = server.accept()) {
        String request = readHead(s.getInputStream());
        s.getOutputStream().write(response.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
        return request;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  private String url(String path) {
    return "http://127.0.0.1:" + server.getLocalPort() + path;
  }

  private String fetchText(String response) throws Exception {
    answerOnce(response);
    return new String(fetcher.fetch(url("/img.png")), StandardCharsets.ISO_8859_1);
  }

  private void assertFails(String response, ErrorCode code) {
    answerOnce(response);
    assertThatThrownBy(() -> fetcher.fetch(url("/img.png"))).isInstanceOfSatisfying(FetchException.class,
        e -> assertThat(e.code()).as(e.getMessage()).isEqualTo(code));
  }

  @Test
  void readsChunkedBodiesWithExtensionsAndTrailers() throws Exception {
    assertThat(fetchText("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nX-Trailer: x\r\n\r\n")).isEqualTo("hello world");
  }

  @Test
  void readsBodiesEndedByTheConnectionAndByContentLength() throws Exception {
    assertThat(fetchText("HTTP/1.0 200 OK\r\nContent-Type: image/png\r\n\r\nabcdef")).isEqualTo("abcdef");
    assertThat(fetchText("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nokEXTRA")).isEqualTo("ok");
  }

  @Test
  void skipsInterimResponses() throws Exception {
    assertThat(fetchText("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"))
        .isEqualTo("ok");
  }

  @Test
  void sendsOneGetWithTheHostAsWrittenAndNoUserInfo() throws Exception {
    CompletableFuture<String> request = answerOnce("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    fetcher.fetch("http://user:secret@127.0.0.1:" + server.getLocalPort() + "/a%20b/c.png?size=1");
    String head = request.get(5, TimeUnit.SECONDS);
    assertThat(head).startsWith("GET /a%20b/c.png?size=1 HTTP/1.1\r\n")
        .contains("\r\nHost: 127.0.0.1:" + server.getLocalPort() + "\r\n")
        .contains("\r\nConnection: close\r\n")
        .doesNotContain("secret").doesNotContain("Authorization");
  }

  @Test
  void aBodyShorterThanItsContentLengthIsATransientFailureNotATruncatedImage() {
    answerOnce("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
    assertThatThrownBy(() -> fetcher.fetch(url("/img.png"))).isInstanceOfSatisfying(FetchException.class, e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.FETCH_FAILED);
      assertThat(e.isTransient()).isTrue();
    });
  }

  @Test
  void malformedResponsesAreFetchFailed() {
    assertFails("SSH-2.0-OpenSSH_9.6\r\n\r\n", ErrorCode.FETCH_FAILED);
    assertFails("HTTP/1.1 200 OK\r\n" + "X-Long: " + "a".repeat(9000) + "\r\n\r\n", ErrorCode.FETCH_FAILED);
    assertFails("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", ErrorCode.FETCH_FAILED);
    assertFails("HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\n", ErrorCode.FETCH_FAILED);
    assertFails("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", ErrorCode.FETCH_FAILED);
  }

  @Test
  void chunkedAndDeclaredBodiesOverTheLimitAreTooLarge() {
    assertFails("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n800\r\n", ErrorCode.TOO_LARGE);
    assertFails("HTTP/1.1 200 OK\r\nContent-Length: 999999999999\r\n\r\n", ErrorCode.TOO_LARGE);
    assertFails("HTTP/1.0 200 OK\r\n\r\n" + "x".repeat(2000), ErrorCode.TOO_LARGE);
  }
}
