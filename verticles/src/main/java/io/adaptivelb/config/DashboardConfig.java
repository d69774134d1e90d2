package io.adaptivelb.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The HTTP server for the dashboard page, {@code /stats}, {@code /metrics} and the admin API.
 *
 * @param adminToken   when set, admin calls from other hosts are accepted with {@code Authorization: Bearer <token>};
 *                     loopback clients never need it
 * @param allowedHosts host names (besides loopback names and {@code host}) that a tokenless admin call, or a
 *                     read of {@code /stats}, {@code /metrics} or {@code /ws}, may name in its {@code Host}
 *                     header; any other name is a DNS-rebinding page, refused
 */
public record DashboardConfig(String host, int port, String adminToken, List<String> allowedHosts) {

  public DashboardConfig {
    allowedHosts = List.copyOf(allowedHosts);
  }

  static DashboardConfig read(StrictJson json) {
    json.allowOnly(Set.of("host", "port", "adminToken", "allowedHosts"));
    String token = json.string("adminToken", null);
    if (token != null && token.length() < 16) {
      throw new ConfigException(json.key("adminToken"), "must be at least 16 characters");
    }
    List<String> names = json.strings("allowedHosts", List.of());
    List<String> hosts = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i).trim().toLowerCase(Locale.ROOT);
      // A bare name: the Host header's port is not compared, and a scheme or path would never match.
      if (name.isEmpty() || !name.matches("[a-z0-9._-]+|\\[[0-9a-f:.]+]")) {
        throw new ConfigException(json.key("allowedHosts") + "[" + i + "]",
          "must be a host name or address without scheme or port, got \"" + names.get(i) + "\"");
      }
      hosts.add(name);
    }
    return new DashboardConfig(json.string("host", "0.0.0.0"), json.integer("port", 8081, 0, 65535), token, hosts);
  }
}
