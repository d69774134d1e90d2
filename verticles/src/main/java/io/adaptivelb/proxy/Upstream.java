package io.adaptivelb.proxy;

import io.adaptivelb.config.UpstreamConfig;
import io.vertx.core.net.SocketAddress;

/** A backend the proxy forwards to, resolved once; {@code tls}: reached over {@code https://}. */
record Upstream(String name, SocketAddress address, boolean tls) {

  static Upstream of(UpstreamConfig config) {
    return new Upstream(config.name(), SocketAddress.inetSocketAddress(config.port(), config.host()), config.tls());
  }

  /** {@code host:port}, for a Host header the client did not send. */
  String authority() {
    return address.host() + ":" + address.port();
  }
}
