package io.adaptivelb.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;

/** A backend as the proxy sees it: a name and an {@code http://host:port} origin. */
public record UpstreamConfig(String name, String host, int port) {

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
    if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
      throw new ConfigException(json.key("url"), "\"" + url + "\" must look like http://host:port");
    }
    if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")) {
      throw new ConfigException(json.key("url"), "\"" + url + "\" must not have a path (requests keep theirs)");
    }
    int port = uri.getPort() == -1 ? 80 : uri.getPort();
    return new UpstreamConfig(name, uri.getHost(), port);
  }

  public String origin() {
    return "http://" + host + ":" + port;
  }
}
