package io.captionstream.fetch;

import io.captionstream.schema.ErrorCode;
import java.net.URI;
import java.util.Locale;

/**
 * Where one http(s) hop goes, read from the URI's raw authority (so forms {@link URI} does not parse as a server,
 * such as {@code 127.1:8080}, are read the way curl and browsers read them). User info is ignored, never sent.
 *
 * @param tls         whether the scheme is https
 * @param host        the host as written: a name, a numeric IPv4 form, or a bracketed IPv6 literal
 * @param port        the port, the scheme's default when none is written
 * @param requestPath raw path and query, {@code /} when the path is empty
 * @param uri         the whole URI (for messages and resolving redirects)
 */
record Target(boolean tls, String host, int port, String requestPath, URI uri) {

  static Target of(URI uri) throws FetchException {
    boolean tls = "https".equals(uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT));
    String authority = uri.getRawAuthority();
    if (authority == null || authority.isEmpty()) {
      throw new FetchException(ErrorCode.INVALID_EVENT, "URI " + uri + " has no host");
    }
    String hostPort = authority.substring(authority.lastIndexOf('@') + 1);
    String host;
    String portText;
    if (hostPort.startsWith("[")) {
      int close = hostPort.indexOf(']');
      if (close < 0 || (close + 1 < hostPort.length() && hostPort.charAt(close + 1) != ':')) {
        throw new FetchException(ErrorCode.INVALID_EVENT, "URI " + uri + " has a malformed IPv6 host");
      }
      host = hostPort.substring(0, close + 1);
      portText = close + 1 < hostPort.length() ? hostPort.substring(close + 2) : "";
    } else {
      int colon = hostPort.lastIndexOf(':');
      host = colon < 0 ? hostPort : hostPort.substring(0, colon);
      portText = colon < 0 ? "" : hostPort.substring(colon + 1);
    }
    int port = tls ? 443 : 80;
    if (!portText.isEmpty()) {
      if (portText.length() > 5 || !portText.chars().allMatch(c -> c >= '0' && c <= '9')
          || Integer.parseInt(portText) < 1 || Integer.parseInt(portText) > 65535) {
        throw new FetchException(ErrorCode.INVALID_EVENT, "URI " + uri + " has a bad port '" + portText + "'");
      }
      port = Integer.parseInt(portText);
    }
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    return new Target(tls, host, port, path + query, uri);
  }

  /** The {@code Host} header: the host as written, with the port when it is not the scheme's default. */
  String hostHeader() {
    return port == (tls ? 443 : 80) ? host : host + ":" + port;
  }

  /** The name the server certificate must match: no brackets, no trailing dot. */
  String certificateName() {
    if (host.startsWith("[")) {
      String inner = host.substring(1, host.length() - 1);
      int zone = inner.indexOf('%');
      return zone < 0 ? inner : inner.substring(0, zone);
    }
    return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
  }
}
