package io.adaptivelb.admin;

import io.adaptivelb.web.SameOrigin;
import io.adaptivelb.web.ServerNames;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

import java.util.Set;

/**
 * Keeps web pages out of the admin API. A browser on the operator's machine is a loopback client, so
 * {@link AdminAccess} alone would let any page the operator visits switch policies or drain backends.
 * Three rules close that, checked before any body is read:
 * <ul>
 *   <li>a call carrying an {@code Origin} other than this server's own is refused (403): a page of
 *       another site;</li>
 *   <li>a call admitted as loopback must name this server in {@code Host} ({@link ServerNames}; 421
 *       otherwise): a page whose DNS name was rebound to 127.0.0.1 names its own site. A call with the
 *       bearer token is exempt: no browser adds the token by itself;</li>
 *   <li>a call that changes state must say {@code Content-Type: application/json} (415 otherwise): a
 *       page cannot send that without a CORS preflight, and this server grants none.</li>
 * </ul>
 */
record AdminGuard(AdminAccess access, ServerNames serverNames) implements Handler<RoutingContext> {

  private static final Set<HttpMethod> CHANGING = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE);

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String origin = request.getHeader(HttpHeaders.ORIGIN);
    if (!SameOrigin.allows(origin, request.scheme(), request.authority())) {
      refuse(ctx, 403, "admin API: calls from other origins are refused (Origin " + quoted(origin) + " is not this dashboard)");
    } else if (!access.hasToken(request.getHeader(HttpHeaders.AUTHORIZATION)) && !serverNames.named(request.authority())) {
      refuse(ctx, 421, "admin API: Host " + quoted(request.getHeader(HttpHeaders.HOST))
        + " does not name this server (loopback names, dashboard.host or dashboard.allowedHosts)");
    } else if (CHANGING.contains(request.method()) && !isJson(request.getHeader(HttpHeaders.CONTENT_TYPE))) {
      refuse(ctx, 415, "admin API: a " + request.method() + " needs Content-Type: application/json");
    } else {
      ctx.next();
    }
  }

  private static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semicolon = contentType.indexOf(';');
    String media = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
    return media.equalsIgnoreCase("application/json");
  }

  private static String quoted(String value) {
    return value == null ? "(none)" : "\"" + value + "\"";
  }

  private static void refuse(RoutingContext ctx, int status, String message) {
    AdminApi.error(ctx, status, message);
  }
}
