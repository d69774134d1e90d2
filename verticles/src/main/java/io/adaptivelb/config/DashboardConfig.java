package io.adaptivelb.config;

import java.util.Set;

/**
 * The HTTP server for the dashboard page, {@code /stats}, {@code /metrics} and the admin API.
 *
 * @param adminToken when set, admin calls from other hosts are accepted with {@code Authorization: Bearer <token>};
 *                   loopback clients never need it
 */
public record DashboardConfig(String host, int port, String adminToken) {

  static DashboardConfig read(StrictJson json) {
    json.allowOnly(Set.of("host", "port", "adminToken"));
    String token = json.string("adminToken", null);
    if (token != null && token.length() < 16) {
      throw new ConfigException(json.key("adminToken"), "must be at least 16 characters");
    }
    return new DashboardConfig(json.string("host", "0.0.0.0"), json.integer("port", 8081, 0, 65535), token);
  }
}
