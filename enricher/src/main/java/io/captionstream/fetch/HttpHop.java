package io.captionstream.fetch;

import io.captionstream.schema.ErrorCode;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP/1.1 GET over a socket connected to an address the {@link AddressGuard} checked: the connection can only
 * reach that address, whatever DNS says by then. For https, TLS runs on that socket with SNI set to the host name
 * and the certificate verified against the name ({@code HTTPS} endpoint identification). The read timeout is one
 * deadline from the request to the last body byte.
 */
final class HttpHop {

  /** Statuses another try may not get: timeout, too early, too many requests, server errors of a passing kind. */
  private static final Set<Integer> TRANSIENT_STATUSES = Set.of(408, 425, 429, 500, 502, 503, 504);

  private final FetchPolicy policy;
  private final SSLSocketFactory tls;

  HttpHop(FetchPolicy policy, SSLSocketFactory tls) {
    this.policy = policy;
    this.tls = tls;
  }

  /** GETs {@code target} from {@code address}; a 2xx reply carries its body, any other status none. */
  HttpReply get(Target target, InetAddress address) throws FetchException {
    Socket raw = new Socket(Proxy.NO_PROXY); // straight to the checked address: no SOCKS/system proxy between
    try (raw) {
      try {
        raw.connect(new InetSocketAddress(address, target.port()), (int) policy.connectTimeout().toMillis());
      } catch (SocketTimeoutException e) {
        throw FetchException.transientFailure(ErrorCode.FETCH_TIMEOUT,
            "connect to " + target.host() + " (" + address.getHostAddress() + ") timed out", e, null);
      }
      long deadline = System.nanoTime() + policy.readTimeout().toNanos();
      Socket socket = target.tls() ? secure(raw, target, address, deadline) : raw;
      InputStream in = new BufferedInputStream(new DeadlineStream(socket, deadline));
      OutputStream out = socket.getOutputStream();
      out.write(request(target).getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      HttpWire.Head head = HttpWire.readHead(in);
      byte[] body = head.status() / 100 == 2 ? HttpWire.readBody(head, in, policy.maxBytes()) : new byte[0];
      return new HttpReply(head.status(), head.headers(), body);
    } catch (SocketTimeoutException e) {
      throw FetchException.transientFailure(ErrorCode.FETCH_TIMEOUT,
          "no complete response from " + target.uri() + " within " + policy.readTimeout(), e, null);
    } catch (SSLException e) {
      throw new FetchException(ErrorCode.FETCH_FAILED, "TLS with " + target.host() + " failed: " + e.getMessage(), e);
    } catch (ConnectException e) {
      throw FetchException.transientFailure(ErrorCode.FETCH_FAILED,
          "connect to " + target.host() + " (" + address.getHostAddress() + ") failed: " + e.getMessage(), e, null);
    } catch (IOException e) {
      // reset, broken pipe, closed early: the server or the path failed for now
      throw FetchException.transientFailure(ErrorCode.FETCH_FAILED, "fetch of " + target.uri() + " failed: " + e, e,
          null);
    }
  }

  /** Whether a non-2xx, non-redirect status is worth another try. */
  static boolean isTransient(int status) {
    return TRANSIENT_STATUSES.contains(status);
  }

  private Socket secure(Socket raw, Target target, InetAddress address, long deadline) throws IOException {
    String name = target.certificateName();
    boolean literal = target.host().startsWith("[") || isNumericIpv4(name);
    String verifyAs = literal ? stripScope(address.getHostAddress()) : name;
    SSLSocket ssl = (SSLSocket) tls.createSocket(raw, verifyAs, target.port(), true);
    SSLParameters parameters = ssl.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    if (!literal) {
      parameters.setServerNames(List.of(new SNIHostName(name)));
    }
    ssl.setSSLParameters(parameters);
    ssl.setSoTimeout(DeadlineStream.millisLeft(deadline));
    ssl.startHandshake();
    return ssl;
  }

  private static boolean isNumericIpv4(String name) {
    try {
      return NumericHost.ipv4(name) != null;
    } catch (FetchException e) {
      return false;
    }
  }

  private static String stripScope(String address) {
    int percent = address.indexOf('%');
    return percent < 0 ? address : address.substring(0, percent);
  }

  private static String request(Target target) {
    return "GET " + target.requestPath() + " HTTP/1.1\r\n"
        + "Host: " + target.hostHeader() + "\r\n"
        + "User-Agent: captionstream-enricher\r\n"
        + "Accept: image/*, */*;q=0.5\r\n"
        + "Accept-Encoding: identity\r\n"
        + "Connection: close\r\n\r\n";
  }

  /** Gives every read only the time left until the hop's deadline, so a slow drip cannot outlive it. */
  private static final class DeadlineStream extends FilterInputStream {

    private final Socket socket;
    private final long deadline;

    DeadlineStream(Socket socket, long deadline) throws IOException {
      super(socket.getInputStream());
      this.socket = socket;
      this.deadline = deadline;
    }

    static int millisLeft(long deadline) throws SocketTimeoutException {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new SocketTimeoutException("read deadline passed");
      }
      return (int) Math.min(Integer.MAX_VALUE, Math.max(1, (left + 999_999) / 1_000_000));
    }

    @Override
    public int read() throws IOException {
      socket.setSoTimeout(millisLeft(deadline));
      return super.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      socket.setSoTimeout(millisLeft(deadline));
      return super.read(b, off, len);
    }
  }
}
