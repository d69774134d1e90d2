package io.adaptivelb.config;

import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;

/**
 * A backend as the proxy sees it: a name and an {@code http://host:port} or {@code https://host:port}
 * origin ({@code tls}: the proxy speaks TLS to it, verified as {@code proxy.upstreamTls} says).
 *
 * @param weight its share relative to the other backends of its pool (default 1): a pick of it is kept
 *               with probability weight / the pool's largest weight, otherwise the policy picks again without it
 * @param backup it takes requests only when no primary (non-backup) backend can: all are ejected,
 *               unhealthy, disabled, draining or already tried for this request
 */
public record UpstreamConfig(String name, String host, int port, boolean tls, int weight, boolean backup) {

  public static final int MAX_WEIGHT = 1000;

  public UpstreamConfig(String name, String host, int port) {
    this(name, host, port, false, 1, false);
  }

  public UpstreamConfig(String name, String host, int port, boolean tls) {
    this(name, host, port, tls, 1, false);
  }

  public static UpstreamConfig read(StrictJson json) {
    json.allowOnly(Set.of("name", "url", "weight", "backup"));
    String name = BackendConfig.name(json, "name");
    String url = json.requiredString("url");
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new ConfigException(json.key("url"), "\"" + url + "\" is not a URL");
    }
    boolean tls = "https".equalsIgnoreCase(uri.getScheme());
    if (!(tls || "http".equalsIgnoreCase(uri.getScheme())) || uri.getHost() == null) {
      throw new ConfigException(json.key("url"), "\"" + url + "\" must look like http://host:port or https://host:port");
    }
    if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")) {
      throw new ConfigException(json.key("url"), "\"" + url + "\" must not have a path (requests keep theirs)");
    }
    int port = uri.getPort() != -1 ? uri.getPort() : tls ? 443 : 80;
    return new UpstreamConfig(name, uri.getHost(), port, tls, weight(json), json.bool("backup", false));
  }

  private static int weight(StrictJson json) {
    return json.integer("weight", 1, 1, MAX_WEIGHT);
  }

  /** A weight change ({@code {"weight": 3}}): the key is required, its range a backend's. */
  public static int readWeightChange(StrictJson json) {
    json.allowOnly(Set.of("weight"));
    json.require("weight");
    return weight(json);
  }

  public UpstreamConfig withWeight(int newWeight) {
    return new UpstreamConfig(name, host, port, tls, newWeight, backup);
  }

  /** As a config writes it ({@code weight} and {@code backup} only when not the defaults). */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("name", name).put("url", origin());
    if (weight != 1) {
      json.put("weight", weight);
    }
    if (backup) {
      json.put("backup", true);
    }
    return json;
  }

  public String origin() {
    return (tls ? "https://" : "http://") + host + ":" + port;
  }
}
