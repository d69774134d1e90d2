package io.adaptivelb.admin;

import io.adaptivelb.config.PolicyCatalogJson;
import io.adaptivelb.policy.PolicyCatalog;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;

/**
 * {@code GET /admin/policies}: every policy with its explanation, score, parameters, defaults and
 * ranges, as JSON. Readable without admin access, like the page that draws its policy form and
 * explanations from it: it only describes this jar, and changes nothing.
 */
final class PolicyCatalogRoute {

  static final String PATH = "/admin/policies";

  private PolicyCatalogRoute() {
  }

  /** Mount before the admin access check. */
  static void mount(Router router) {
    router.get(PATH).handler(ctx -> ctx.response()
      .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
      .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
      .end(PolicyCatalogJson.of(PolicyCatalog.all()).encodePrettily()));
  }
}
