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
      if ((b[0] & 0xfe) == 0xfc) {
        return true; // fc00::/7 unique local
      }
      byte[] v4 = embeddedIpv4(b);
      return v4 != null && isInternal(toInet4(v4));
    }
    int first = b[0] & 0xff;
    int second = b[1] & 0xff;
    return first == 0 || (first == 100 && second >= 64 && second <= 127) // 0/8, CGNAT 100.64/10
        || (first == 198 && (second == 18 || second == 19)); // benchmark 198.18/15
  }

  /**
   * The IPv4 address an IPv6 address carries to an IPv4 host, or {@code null}: IPv4-compatible {@code ::a.b.c.d},
   * NAT64 {@code 64:ff9b::a.b.c.d} (RFC 6052: a NAT64 gateway connects to a.b.c.d) and 6to4 {@code 2002:AABB:CCDD::/48}.
   * (IPv4-mapped {@code ::ffff:a.b.c.d} already resolves to an {@code Inet4Address}.)
   */
  private static byte[] embeddedIpv4(byte[] b) {
    boolean zero4to11 = true;
    for (int i = 4; i < 12; i++) {
      zero4to11 &= b[i] == 0;
    }
    boolean compatible = zero4to11 && b[0] == 0 && b[1] == 0 && b[2] == 0 && b[3] == 0;
    boolean nat64 = zero4to11 && b[0] == 0 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
    if (compatible || nat64) {
      return new byte[] {b[12], b[13], b[14], b[15]};
    }
    if (b[0] == 0x20 && b[1] == 0x02) {
      return new byte[] {b[2], b[3], b[4], b[5]};
    }
    return null;
  }

  private static InetAddress toInet4(byte[] v4) {
    try {
      return InetAddress.getByAddress(v4);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("4 bytes are always an IPv4 address", e);
    }
  }

  private static String stripBrackets(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }
}
