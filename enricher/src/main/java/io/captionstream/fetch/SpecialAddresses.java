package io.captionstream.fetch;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * The address blocks the fetcher never connects to: every block of the IANA IPv4 and IPv6 Special-Purpose Address
 * Registries whose "Globally Reachable" is False, the reserved and multicast space, and IPv6 forms that carry an
 * IPv4 address to an IPv4 host (then the carried address is judged). The table is documented in docs/fetch.md.
 */
final class SpecialAddresses {

  /** One CIDR block. */
  private record Block(byte[] prefix, int bits, String name) {

    static Block of(String cidr, String name) {
      int slash = cidr.indexOf('/');
      try {
        byte[] prefix = InetAddress.getByName(cidr.substring(0, slash)).getAddress();
        return new Block(prefix, Integer.parseInt(cidr.substring(slash + 1)), cidr + " " + name);
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("bad block " + cidr, e);
      }
    }

    boolean contains(byte[] address) {
      if (address.length != prefix.length) {
        return false;
      }
      int full = bits / 8;
      for (int i = 0; i < full; i++) {
        if (address[i] != prefix[i]) {
          return false;
        }
      }
      int rest = bits % 8;
      int mask = (0xff << (8 - rest)) & 0xff;
      return rest == 0 || (address[full] & mask) == (prefix[full] & mask);
    }
  }

  private static final List<Block> IPV4 = List.of(
      Block.of("0.0.0.0/8", "this network"),
      Block.of("10.0.0.0/8", "private use"),
      Block.of("100.64.0.0/10", "shared address space (CGNAT)"),
      Block.of("127.0.0.0/8", "loopback"),
      Block.of("169.254.0.0/16", "link local (cloud metadata)"),
      Block.of("172.16.0.0/12", "private use"),
      Block.of("192.0.0.0/24", "IETF protocol assignments"),
      Block.of("192.0.2.0/24", "documentation (TEST-NET-1)"),
      Block.of("192.88.99.0/24", "6to4 relay anycast (deprecated)"),
      Block.of("192.168.0.0/16", "private use"),
      Block.of("198.18.0.0/15", "benchmarking"),
      Block.of("198.51.100.0/24", "documentation (TEST-NET-2)"),
      Block.of("203.0.113.0/24", "documentation (TEST-NET-3)"),
      Block.of("224.0.0.0/4", "multicast"),
      Block.of("240.0.0.0/4", "reserved"),
      Block.of("255.255.255.255/32", "limited broadcast"));

  /** IPv6 blocks refused outright (apart from {@link #IPV6_GLOBAL} inside them). */
  private static final List<Block> IPV6 = List.of(
      Block.of("::/96", "unspecified, loopback and IPv4-compatible (deprecated)"),
      Block.of("64:ff9b:1::/48", "IPv4-IPv6 translation, local use"),
      Block.of("100::/64", "discard only"),
      Block.of("100:0:0:1::/64", "dummy prefix"),
      Block.of("2001::/23", "IETF protocol assignments (Teredo, benchmarking, ORCHID)"),
      Block.of("2001:db8::/32", "documentation"),
      Block.of("3fff::/20", "documentation"),
      Block.of("5f00::/16", "segment routing SIDs"),
      Block.of("fc00::/7", "unique local"),
      Block.of("fe80::/10", "link local"),
      Block.of("fec0::/10", "site local (deprecated)"),
      Block.of("ff00::/8", "multicast"));

  /** Sub-blocks of 2001::/23 that the registry marks globally reachable. */
  private static final List<Block> IPV6_GLOBAL = List.of(
      Block.of("2001:1::1/128", "PCP anycast"),
      Block.of("2001:1::2/128", "TURN anycast"),
      Block.of("2001:1::3/128", "DNS-SD SRP anycast"),
      Block.of("2001:3::/32", "AMT"),
      Block.of("2001:4:112::/48", "AS112-v6"),
      Block.of("2001:20::/28", "ORCHIDv2"),
      Block.of("2001:30::/28", "drone remote ID"));

  /** Global unicast space; IPv6 outside it (and outside NAT64 64:ff9b::/96) is reserved or unassigned. */
  private static final Block IPV6_GLOBAL_UNICAST = Block.of("2000::/3", "global unicast");
  private static final Block NAT64 = Block.of("64:ff9b::/96", "NAT64 well-known prefix");
  private static final Block SIX_TO_FOUR = Block.of("2002::/16", "6to4");

  private SpecialAddresses() {}

  /** The refused block {@code a} lies in, as {@code "cidr name"}, or empty when it is globally reachable. */
  static Optional<String> refusedBlock(InetAddress a) {
    byte[] b = a.getAddress();
    if (a instanceof Inet4Address) {
      return IPV4.stream().filter(block -> block.contains(b)).findFirst().map(Block::name);
    }
    if (!(a instanceof Inet6Address)) {
      return Optional.of("unknown address family");
    }
    if (NAT64.contains(b)) {
      return carried(b, 12, "NAT64 64:ff9b::/96");
    }
    if (b.length == 16 && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff && isZero(b, 0, 10)) {
      return carried(b, 12, "IPv4-mapped ::ffff:0:0/96"); // Java reads these as IPv4; kept for other sources
    }
    if (SIX_TO_FOUR.contains(b)) {
      return carried(b, 2, "6to4 2002::/16");
    }
    boolean global = IPV6_GLOBAL.stream().anyMatch(block -> block.contains(b));
    Optional<String> refused = IPV6.stream().filter(block -> block.contains(b)).findFirst().map(Block::name);
    if (refused.isPresent() && !global) {
      return refused;
    }
    return IPV6_GLOBAL_UNICAST.contains(b) ? Optional.empty() : Optional.of("outside 2000::/3 global unicast");
  }

  /** Judges the IPv4 address carried at {@code offset}: a gateway would connect to it. */
  private static Optional<String> carried(byte[] b, int offset, String form) {
    byte[] v4 = {b[offset], b[offset + 1], b[offset + 2], b[offset + 3]};
    try {
      return refusedBlock(InetAddress.getByAddress(v4)).map(block -> form + " carrying " + block);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("4 bytes are always an IPv4 address", e);
    }
  }

  private static boolean isZero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }
}
