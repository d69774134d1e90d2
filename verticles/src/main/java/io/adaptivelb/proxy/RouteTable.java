package io.adaptivelb.proxy;

import io.adaptivelb.config.RouteConfig;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Which upstream group a request goes to, as nginx chooses a server and then a location: the routes
 * for the request's exact host first, then those of the longest {@code *.suffix} it matches, then the
 * routes without a host; within the first of these sets that has a match, the longest matching path
 * prefix wins. A request no route matches goes to the default group.
 *
 * @param <T> what a group is at run time (a proxy instance's per-group runtime)
 */
final class RouteTable<T> {

  /** A route's decision for one request: where it goes, and the request target it is sent with. */
  record Match<T>(T group, String target) {
  }

  private record Route<T>(RouteConfig config, T group) {
  }

  private final List<Route<T>> exact = new ArrayList<>();
  private final List<Route<T>> wildcard = new ArrayList<>();
  private final List<Route<T>> anyHost = new ArrayList<>();
  private final T fallback;

  RouteTable(List<RouteConfig> routes, Function<String, T> groups, T fallback) {
    this.fallback = fallback;
    for (RouteConfig route : routes) {
      Route<T> r = new Route<>(route, groups.apply(route.group()));
      (route.host() == null ? anyHost : route.wildcard() ? wildcard : exact).add(r);
    }
    // Longest first, so the first match is the longest (suffixes by length too: the most specific wins).
    Comparator<Route<T>> longestPrefix = Comparator.comparingInt(r -> -r.config().pathPrefix().length());
    exact.sort(longestPrefix);
    wildcard.sort(Comparator.<Route<T>>comparingInt(r -> -r.config().host().length()).thenComparing(longestPrefix));
    anyHost.sort(longestPrefix);
  }

  /** Where requests no route matches go (all of them when there are no routes). */
  T fallback() {
    return fallback;
  }

  boolean isEmpty() {
    return exact.isEmpty() && wildcard.isEmpty() && anyHost.isEmpty();
  }

  /**
   * @param hostHeader the request's Host (port and case do not matter), or null
   * @param target     the request target as received (path and query)
   */
  Match<T> match(String hostHeader, String target) {
    String host = hostOnly(hostHeader);
    if (host != null) {
      Match<T> m = first(exact, host, target, false);
      if (m != null) {
        return m;
      }
      m = first(wildcard, host, target, true);
      if (m != null) {
        return m;
      }
    }
    Match<T> m = first(anyHost, null, target, false);
    return m != null ? m : new Match<>(fallback, target);
  }

  private Match<T> first(List<Route<T>> routes, String host, String target, boolean suffix) {
    for (Route<T> r : routes) {
      RouteConfig c = r.config();
      if (host != null && !(suffix ? host.endsWith(c.host().substring(1)) : host.equals(c.host()))) {
        continue;
      }
      if (target.startsWith(c.pathPrefix())) {
        return new Match<>(r.group(), c.stripPrefix() ? stripped(target, c.pathPrefix()) : target);
      }
    }
    return null;
  }

  /** {@code /static/a.css} for prefix {@code /static/} is {@code /a.css}; nothing left is {@code /}. */
  private static String stripped(String target, String prefix) {
    String rest = target.substring(prefix.length());
    if (rest.isEmpty() || rest.charAt(0) == '?') {
      return "/" + rest;
    }
    return rest.charAt(0) == '/' ? rest : "/" + rest;
  }

  private static String hostOnly(String hostHeader) {
    if (hostHeader == null || hostHeader.isEmpty()) {
      return null;
    }
    String host = hostHeader;
    if (host.startsWith("[")) {
      int end = host.indexOf(']');
      host = end > 0 ? host.substring(0, end + 1) : host;
    } else {
      int colon = host.indexOf(':');
      host = colon >= 0 ? host.substring(0, colon) : host;
    }
    if (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
    }
    return host.toLowerCase(Locale.ROOT);
  }
}
