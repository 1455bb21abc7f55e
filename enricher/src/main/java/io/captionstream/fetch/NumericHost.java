package io.captionstream.fetch;

import io.captionstream.schema.ErrorCode;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Reads numeric IPv4 hosts the way {@code inet_aton}, curl and browsers (the WHATWG URL IPv4 parser) do: 1 to 4
 * dot-separated parts, each decimal, {@code 0x} hexadecimal or leading-zero octal; the last part fills the bytes
 * left ({@code 127.1} is 127.0.0.1, {@code 2130706433} and {@code 0x7f000001} are 127.0.0.1, {@code 0177.0.0.1} is
 * octal 127.0.0.1). A host whose last part is a number but that is no valid IPv4 form is refused, never looked up.
 */
final class NumericHost {

  private static final long MAX = 0xffff_ffffL;

  private NumericHost() {}

  /**
   * The IPv4 address {@code host} (without a trailing dot) spells, or {@code null} when it is a name.
   *
   * @throws FetchException {@code FETCH_FAILED} when it ends in a number but is not a valid IPv4 form
   */
  static Inet4Address ipv4(String host) throws FetchException {
    String[] parts = host.split("\\.", -1);
    String last = parts[parts.length - 1];
    if (last.isEmpty() || (!last.chars().allMatch(c -> c >= '0' && c <= '9') && value(last) < 0)) {
      return null; // a name: its last label is not a number
    }
    if (parts.length > 4) {
      throw invalid(host, "more than 4 parts");
    }
    long address = 0;
    for (int i = 0; i < parts.length; i++) {
      long v = value(parts[i]);
      if (v < 0) {
        throw invalid(host, "part '" + parts[i] + "' is not a decimal, octal or hex number");
      }
      boolean isLast = i == parts.length - 1;
      long limit = isLast ? (MAX >>> (8 * (parts.length - 1))) : 255;
      if (v > limit) {
        throw invalid(host, "part '" + parts[i] + "' is out of range");
      }
      address = isLast ? address | v : address | (v << (8 * (3 - i)));
    }
    byte[] bytes = {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
    try {
      return (Inet4Address) InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("4 bytes are always an IPv4 address", e);
    }
  }

  /** The part's value, {@code MAX + 1} when it overflows 32 bits, or -1 when it is not a number. */
  private static long value(String part) {
    if (part.isEmpty()) {
      return -1;
    }
    int radix = 10;
    String digits = part;
    if (part.startsWith("0x") || part.startsWith("0X")) {
      radix = 16;
      digits = part.substring(2);
    } else if (part.length() > 1 && part.charAt(0) == '0') {
      radix = 8;
      digits = part.substring(1);
    }
    long v = 0;
    for (int i = 0; i < digits.length(); i++) {
      char c = digits.charAt(i);
      int d = c < 128 ? Character.digit(c, radix) : -1; // ASCII only: no full-width or other scripts' digits
      if (d < 0) {
        return -1;
      }
      v = Math.min(MAX + 1, v * radix + d);
    }
    return v;
  }

  private static FetchException invalid(String host, String why) {
    return new FetchException(ErrorCode.FETCH_FAILED, "host " + host + " is not a valid IPv4 address: " + why);
  }
}
