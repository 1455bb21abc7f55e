package io.captionstream.fetch;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Turns a host name into addresses. The fetcher asks once per hop, checks every answer, and connects to the
 * checked address itself, so no second lookup can answer differently (DNS rebinding).
 */
@FunctionalInterface
public interface HostResolver {

  /** All addresses of {@code name} (never a numeric form: those are read by the fetcher itself). */
  List<InetAddress> resolve(String name) throws UnknownHostException;

  /** The operating system's resolver ({@link InetAddress#getAllByName}). */
  static HostResolver system() {
    return name -> List.of(InetAddress.getAllByName(name));
  }
}
