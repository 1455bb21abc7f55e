package io.captionstream.fetch;

import io.captionstream.schema.ErrorCode;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Refuses hosts that resolve to addresses inside the service's own network (SSRF guard). */
final class AddressGuard {

  private final boolean allowPrivate;

  AddressGuard(boolean allowPrivate) {
    this.allowPrivate = allowPrivate;
  }

  /** Resolves {@code host} and fails with {@code FORBIDDEN_ADDRESS} if any of its addresses is internal. */
  void check(String host) throws FetchException {
    if (host == null || host.isBlank()) {
      throw new FetchException(ErrorCode.INVALID_EVENT, "URI has no host");
    }
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(stripBrackets(host));
    } catch (UnknownHostException e) {
      throw new FetchException(ErrorCode.FETCH_FAILED, "unknown host " + host, e);
    }
    if (allowPrivate) {
      return;
    }
    for (InetAddress a : addresses) {
      if (isInternal(a)) {
        throw new FetchException(
            ErrorCode.FORBIDDEN_ADDRESS, "host " + host + " resolves to internal address " + a.getHostAddress());
      }
    }
  }

  static boolean isInternal(InetAddress a) {
    if (a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
        || a.isMulticastAddress()) {
      return true;
    }
    byte[] b = a.getAddress();
    if (a instanceof Inet6Address) {
      return (b[0] & 0xfe) == 0xfc; // fc00::/7 unique local
    }
    int first = b[0] & 0xff;
    int second = b[1] & 0xff;
    return first == 0 || (first == 100 && second >= 64 && second <= 127) // 0/8, CGNAT 100.64/10
        || (first == 198 && (second == 18 || second == 19)); // benchmark 198.18/15
  }

  private static String stripBrackets(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }
}
