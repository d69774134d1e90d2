package io.adaptivelb.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Sends the requests it matches to an upstream group: by {@code Host} (exact, or {@code *.suffix} for
 * any subdomain) and/or by path prefix.
 *
 * @param host        lower-case host name, {@code *.example.com}, or null for any host
 * @param pathPrefix  the path must start with it ({@code /} for any path)
 * @param stripPrefix the prefix is removed before the request goes to the group ({@code /static/a.css}
 *                    to {@code /a.css} for prefix {@code /static/})
 */
public record RouteConfig(String host, String pathPrefix, boolean stripPrefix, String group) {

  private static final Pattern HOST = Pattern.compile("(\\*\\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");

  static RouteConfig read(StrictJson json) {
    json.allowOnly(Set.of("host", "pathPrefix", "stripPrefix", "group"));
    String host = json.string("host", null);
    if (host != null) {
      host = host.toLowerCase(Locale.ROOT);
      if (!HOST.matcher(host).matches()) {
        throw new ConfigException(json.key("host"), "\"" + host + "\" must be a host name, or *.suffix for its subdomains");
      }
    }
    String prefix = json.string("pathPrefix", "/");
    if (!prefix.startsWith("/")) {
      throw new ConfigException(json.key("pathPrefix"), "must start with '/'");
    }
    boolean strip = json.bool("stripPrefix", false);
    String group = json.requiredString("group");
    if (host == null && !json.has("pathPrefix")) {
      throw new ConfigException(json.key("host"), "a route needs a host, a pathPrefix or both");
    }
    return new RouteConfig(host, prefix, strip, group);
  }

  /** Routes as {@link #toJson} wrote them (a reload's command), read as {@code proxy.routes} is. */
  public static List<RouteConfig> readList(JsonArray routes) {
    return new StrictJson(new JsonObject().put("routes", routes), "proxy").objects("routes", RouteConfig::read);
  }

  /** As a config writes it. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    if (host != null) {
      json.put("host", host);
    }
    json.put("pathPrefix", pathPrefix);
    if (stripPrefix) {
      json.put("stripPrefix", true);
    }
    return json.put("group", group);
  }

  public boolean wildcard() {
    return host != null && host.startsWith("*.");
  }
}
