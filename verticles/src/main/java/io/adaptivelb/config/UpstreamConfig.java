package io.adaptivelb.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;

/**
 * A backend as the proxy sees it: a name and an {@code http://host:port} or {@code https://host:port}
 * origin ({@code tls}: the proxy speaks TLS to it, verified as {@code proxy.upstreamTls} says).
 */
public record UpstreamConfig(String name, String host, int port, boolean tls) {

  public static UpstreamConfig read(StrictJson json) {
    json.allowOnly(Set.of("name", "url"));
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
    return new UpstreamConfig(name, uri.getHost(), port, tls);
  }

  public String origin() {
    return (tls ? "https://" : "http://") + host + ":" + port;
  }
}
