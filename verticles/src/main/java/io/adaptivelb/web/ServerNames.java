package io.adaptivelb.web;

import io.vertx.core.net.HostAndPort;

import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which names in a request's {@code Host} mean this server: loopback names ({@code localhost},
 * {@code *.localhost}, {@code 127.x.x.x}, {@code ::1}), the host it listens on unless that is a wildcard,
 * and the names the operator listed. Any other name is what a page whose DNS name was rebound to this
 * server's address sends: same-origin to the browser, so only the {@code Host} gives it away. The port is
 * not compared.
 */
public final class ServerNames {

  private static final Pattern IPV4_LOOPBACK = Pattern.compile("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
  private static final Set<String> WILDCARDS = Set.of("0.0.0.0", "::", "");

  private final Set<String> names = new HashSet<>();

  /**
   * @param listenHost the address or name the server listens on
   * @param listed     further names the operator allows (bare host names or {@code [IPv6]} literals)
   */
  public ServerNames(String listenHost, Collection<String> listed) {
    String own = bare(listenHost);
    if (!WILDCARDS.contains(own)) {
      names.add(own);
    }
    listed.forEach(name -> names.add(bare(name)));
  }

  /** Whether {@code authority} (the request's Host) names this server; no Host never does. */
  public boolean named(HostAndPort authority) {
    if (authority == null) {
      return false; // every browser sends Host; a request without one cannot be told apart from a rebinding
    }
    String host = bare(authority.host());
    return host.equals("localhost") || host.endsWith(".localhost") || IPV4_LOOPBACK.matcher(host).matches()
      || host.equals("::1") || host.equals("0:0:0:0:0:0:0:1") || names.contains(host);
  }

  /** Lower case, without IPv6 brackets or the trailing dot of a fully qualified name. */
  private static String bare(String host) {
    String h = host == null ? "" : host.trim().toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
  }
}
