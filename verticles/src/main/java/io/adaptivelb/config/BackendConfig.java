package io.adaptivelb.config;

import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One simulated backend: where it listens and how it behaves.
 *
 * @param advertisedHost the host other processes reach this backend at, in the URL it announces to the
 *                       cluster (a wildcard bind address is not reachable from elsewhere)
 */
public record BackendConfig(String name, String host, int port, LatencySpec latency, int capacity,
                            double errorRate, int bodyBytes, List<PhaseConfig> phases, String advertisedHost) {

  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]{0,252}|\\[[0-9A-Fa-f:.]+]");

  static BackendConfig read(StrictJson json) {
    json.allowOnly(Set.of("name", "host", "port", "latency", "capacity", "errorRate", "bodyBytes", "phases",
      "advertisedHost"));
    String name = name(json, "name");
    json.require("port");
    List<PhaseConfig> phases = json.objects("phases", PhaseConfig::read).stream()
      .sorted(Comparator.comparingDouble(PhaseConfig::atSec)).toList();
    String host = json.string("host", "0.0.0.0");
    return new BackendConfig(
      name,
      host,
      json.integer("port", 0, 0, 65535),
      json.has("latency") ? LatencySpec.read(json.object("latency")) : LatencySpec.ZERO,
      json.integer("capacity", 0, 0, 1_000_000),
      json.number("errorRate", 0, 0, 1),
      json.integer("bodyBytes", 64, 0, 1 << 30),
      phases,
      advertisedHost(json, host));
  }

  private static String advertisedHost(StrictJson json, String host) {
    if (!json.has("advertisedHost")) {
      return defaultAdvertisedHost(host);
    }
    String advertised = json.string("advertisedHost", "");
    if (!HOST.matcher(advertised).matches()) {
      throw new ConfigException(json.key("advertisedHost"), "\"" + advertised + "\" must be a host name or an IP address");
    }
    return advertised;
  }

  /** The bind host, except a wildcard, which only this machine can reach as loopback. */
  static String defaultAdvertisedHost(String host) {
    return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") ? "127.0.0.1" : host;
  }

  static String name(StrictJson json, String key) {
    String name = json.requiredString(key);
    if (!NAME.matcher(name).matches()) {
      throw new ConfigException(json.key(key), "\"" + name + "\" must be letters, digits, '.', '_' or '-' (at most 63)");
    }
    return name;
  }
}
