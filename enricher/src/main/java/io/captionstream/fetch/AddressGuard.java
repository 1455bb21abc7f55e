package io.captionstream.fetch;

import io.captionstream.schema.ErrorCode;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads a URI's host exactly as the connection will use it, resolves it once and refuses it with
 * {@code FORBIDDEN_ADDRESS} when any of its addresses lies in a {@link SpecialAddresses} block (SSRF guard). The
 * address it returns is the one the fetcher connects to: there is no second lookup.
 */
final class AddressGuard {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");
  private static final Pattern IPV6_TEXT = Pattern.compile("[0-9A-Fa-f:.]+");

  private final boolean allowPrivate;
  private final HostResolver resolver;

  AddressGuard(boolean allowPrivate, HostResolver resolver) {
    this.allowPrivate = allowPrivate;
    this.resolver = resolver;
  }

  /**
   * The address to connect to for {@code host} (as written in the URI: a name with or without a trailing dot, a
   * numeric IPv4 form, or a bracketed IPv6 literal with an optional zone id).
   */
  InetAddress check(String host) throws FetchException {
    if (host == null || host.isBlank()) {
      throw new FetchException(ErrorCode.INVALID_EVENT, "URI has no host");
    }
    if (host.startsWith("[")) {
      return checked(host, List.of(ipv6Literal(host)));
    }
    String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    InetAddress numeric = name.isEmpty() ? null : NumericHost.ipv4(name);
    if (numeric != null) {
      return checked(host, List.of(numeric));
    }
    if (!NAME.matcher(name).matches()) {
      throw new FetchException(ErrorCode.FETCH_FAILED, "host '" + host + "' is not a valid host name");
    }
    List<InetAddress> addresses;
    try {
      addresses = resolver.resolve(name);
    } catch (UnknownHostException e) {
      throw new FetchException(ErrorCode.FETCH_FAILED, "unknown host " + host, e);
    }
    if (addresses == null || addresses.isEmpty()) {
      throw new FetchException(ErrorCode.FETCH_FAILED, "unknown host " + host + " (no addresses)");
    }
    return checked(host, addresses);
  }

  private InetAddress checked(String host, List<InetAddress> addresses) throws FetchException {
    if (!allowPrivate) {
      for (InetAddress a : addresses) {
        Optional<String> block = SpecialAddresses.refusedBlock(a);
        if (block.isPresent()) {
          throw new FetchException(ErrorCode.FORBIDDEN_ADDRESS,
              "host " + host + " is internal address " + a.getHostAddress() + " (" + block.get() + ")");
        }
      }
    }
    return addresses.get(0);
  }

  /** {@code [v6]} or {@code [v6%zone]} ({@code %25zone} as RFC 6874 writes it in a URI). */
  private InetAddress ipv6Literal(String host) throws FetchException {
    if (!host.endsWith("]")) {
      throw new FetchException(ErrorCode.INVALID_EVENT, "host " + host + " has an unclosed '['");
    }
    String inner = host.substring(1, host.length() - 1);
    int percent = inner.indexOf('%');
    String address = percent < 0 ? inner : inner.substring(0, percent);
    if (!IPV6_TEXT.matcher(address).matches() || !address.contains(":")) {
      throw new FetchException(ErrorCode.FETCH_FAILED, "host " + host + " is not an IPv6 address");
    }
    String zone = percent < 0 ? "" : inner.substring(percent + 1);
    zone = zone.startsWith("25") ? zone.substring(2) : zone;
    if (percent >= 0 && !allowPrivate) {
      // a zone id only means something for link-local and other non-global scopes
      throw new FetchException(ErrorCode.FORBIDDEN_ADDRESS, "host " + host + " names a local scope (zone id)");
    }
    try {
      return InetAddress.getByName(zone.isEmpty() ? address : address + "%" + zone); // a literal: no lookup
    } catch (UnknownHostException e) {
      throw new FetchException(ErrorCode.FETCH_FAILED, "host " + host + " is not a usable IPv6 address", e);
    }
  }

  /** Whether {@code a} lies in a refused block. */
  static boolean isInternal(InetAddress a) {
    return SpecialAddresses.refusedBlock(a).isPresent();
  }
}
