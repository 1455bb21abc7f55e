package io.captionstream.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.captionstream.schema.ErrorCode;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * https over the pinned connection: the certificate is still verified against the host name of the URI (SNI and
 * endpoint identification), though the socket was connected to the checked address. The server is on loopback with
 * a certificate for {@code images.test} and 127.0.0.1, made by keytool for the test.
 */
class TlsPinningTest {

  private static final byte[] BODY = "tls-bytes".getBytes(StandardCharsets.UTF_8);
  private static final char[] PASSWORD = "changeit".toCharArray();

  @TempDir
  static Path dir;
  private static HttpsServer server;
  private static SSLContext trusting;

  @BeforeAll
  static void serve() throws Exception {
    Path store = dir.resolve("server.p12");
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    assumeTrue(Files.isExecutable(keytool), "keytool not found");
    Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "server", "-keyalg", "EC",
        "-groupname", "secp256r1", "-dname", "CN=images.test", "-ext", "SAN=dns:images.test,ip:127.0.0.1",
        "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit")
        .redirectErrorStream(true).start();
    p.getInputStream().transferTo(OutputStream.nullOutputStream());
    assumeTrue(p.waitFor() == 0, "keytool failed");
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      ks.load(in, PASSWORD);
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, PASSWORD);
    SSLContext serverContext = SSLContext.getInstance("TLS");
    serverContext.init(kmf.getKeyManagers(), null, null);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    trusting = SSLContext.getInstance("TLS");
    trusting.init(null, tmf.getTrustManagers(), null);

    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(serverContext));
    server.createContext("/img.png", ex -> {
      ex.sendResponseHeaders(200, BODY.length);
      try (OutputStream o = ex.getResponseBody()) {
        o.write(BODY);
      }
    });
    server.start();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private ImageFetcher fetcher() {
    HostResolver loopback = name -> List.of(InetAddress.getByName("127.0.0.1"));
    return new ImageFetcher(FetchPolicy.defaults().withAllowPrivateAddresses(true), loopback,
        trusting.getSocketFactory());
  }

  @Test
  void theCertificateIsVerifiedAgainstTheNameWhileTheSocketGoesToTheCheckedAddress() throws Exception {
    int port = server.getAddress().getPort();
    try (ImageFetcher f = fetcher()) {
      assertThat(f.fetch("https://images.test:" + port + "/img.png")).isEqualTo(BODY);
      assertThat(f.fetch("https://127.0.0.1:" + port + "/img.png")).isEqualTo(BODY);
      assertThatThrownBy(() -> f.fetch("https://other.test:" + port + "/img.png"))
          .isInstanceOfSatisfying(FetchException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.FETCH_FAILED);
            assertThat(e.attempts()).as("a certificate failure is permanent").isEqualTo(1);
          });
    }
  }

  @Test
  void anUntrustedCertificateIsRefused() {
    int port = server.getAddress().getPort();
    HostResolver loopback = name -> List.of(InetAddress.getByName("127.0.0.1"));
    try (ImageFetcher jvmTrust = new ImageFetcher(FetchPolicy.defaults().withAllowPrivateAddresses(true), loopback,
        (SSLSocketFactory) SSLSocketFactory.getDefault())) {
      assertThatThrownBy(() -> jvmTrust.fetch("https://images.test:" + port + "/img.png"))
          .isInstanceOfSatisfying(FetchException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FETCH_FAILED));
    }
  }
}
