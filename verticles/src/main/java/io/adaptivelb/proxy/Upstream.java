package io.adaptivelb.proxy;

import io.adaptivelb.config.UpstreamConfig;
import io.vertx.core.net.SocketAddress;

/** A backend the proxy forwards to, resolved once. */
record Upstream(String name, SocketAddress address) {

  static Upstream of(UpstreamConfig config) {
    return new Upstream(config.name(), SocketAddress.inetSocketAddress(config.port(), config.host()));
  }

  /** {@code host:port}, for a Host header the client did not send. */
  String authority() {
    return address.host() + ":" + address.port();
  }
}
