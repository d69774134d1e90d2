package io.adaptivelb.dashboard;

import io.adaptivelb.web.BearerToken;
import io.adaptivelb.web.SameOrigin;
import io.adaptivelb.web.ServerNames;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;

/**
 * Keeps web pages of other sites from reading the live figures ({@code /stats}, {@code /metrics} and the
 * {@code /ws} feed). Two rules, both refused with 403:
 * <ul>
 *   <li>a request carrying an {@code Origin} other than this server's own: a page of another site (a
 *       WebSocket is not bound by the same-origin policy, so the browser would let it read the feed);</li>
 *   <li>a request whose {@code Host} does not name this server ({@link ServerNames}): a page whose DNS
 *       name was rebound to this server's address is same-origin to the browser and names its own site.
 *       A request presenting the admin token is exempt: no browser adds it by itself.</li>
 * </ul>
 * Clients that send no {@code Origin} (curl, scripts, Prometheus) are not browsers; they need only a
 * name of this server in {@code Host}, which they send when they use one.
 */
record ReadGuard(ServerNames serverNames, BearerToken token) implements Handler<RoutingContext> {

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String refusal = refusal(request.headers(), request.scheme(), request.authority());
    if (refusal == null) {
      ctx.next();
    } else {
      ctx.response().setStatusCode(403).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(new JsonObject().put("error", refusal).encode());
    }
  }

  /** Why a request with these headers may not read the figures, or null when it may. */
  String refusal(MultiMap headers, String scheme, HostAndPort authority) {
    String origin = headers.get(HttpHeaders.ORIGIN);
    if (!SameOrigin.allows(origin, scheme, authority)) {
      return "reads from other origins are refused (Origin " + quoted(origin) + " is not this dashboard)";
    }
    if (!serverNames.named(authority) && !token.presentedIn(headers.get(HttpHeaders.AUTHORIZATION))) {
      return "Host " + quoted(headers.get(HttpHeaders.HOST))
        + " does not name this server (loopback names, dashboard.host or dashboard.allowedHosts)";
    }
    return null;
  }

  private static String quoted(String value) {
    return value == null ? "(none)" : "\"" + value + "\"";
  }
}
