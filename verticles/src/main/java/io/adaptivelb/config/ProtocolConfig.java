package io.adaptivelb.config;

/**
 * Which protocols the proxy speaks on each side, read from {@code proxy.tls}, {@code proxy.http2},
 * {@code proxy.via}, {@code proxy.upstreamTls}, {@code proxy.websocket} and {@code proxy.tunnelIdleTimeoutMs}.
 *
 * @param tls                 TLS termination on the client side; null for plain HTTP
 * @param http2               HTTP/2 for clients: offered through ALPN on TLS, h2c with prior knowledge on a plain port
 * @param via                 whether a {@code Via} header is added both ways. Off by default, as in nginx and
 *                            HAProxy: a stock nginx backend does not compress a response to a request that
 *                            carries {@code Via} ({@code gzip_proxied off})
 * @param upstreamTls         how {@code https://} backends' certificates are verified
 * @param websocket           whether an HTTP/1.1 upgrade (WebSocket, or any protocol but h2c) is passed to the
 *                            backend and, on its 101, tunnelled; off: such a request is refused with 501
 * @param tunnelIdleTimeoutMs a tunnel with no byte in either direction for this long is closed (0 = never).
 *                            One hour by default, HAProxy's customary {@code timeout tunnel}: nginx's 60 s
 *                            {@code proxy_read_timeout} is the classic cause of WebSockets dropped while idle
 */
@KeysOfParent
public record ProtocolConfig(TlsConfig tls, boolean http2, boolean via, UpstreamTlsConfig upstreamTls,
                             boolean websocket, int tunnelIdleTimeoutMs) {

  public static final ProtocolConfig DEFAULT = new ProtocolConfig(null, false, false, UpstreamTlsConfig.DEFAULT,
    true, 3_600_000);

  static ProtocolConfig read(StrictJson proxy) {
    return new ProtocolConfig(
      TlsConfig.read(proxy, "tls"),
      proxy.bool("http2", false),
      proxy.bool("via", false),
      UpstreamTlsConfig.read(proxy.object("upstreamTls")),
      proxy.bool("websocket", DEFAULT.websocket()),
      proxy.integer("tunnelIdleTimeoutMs", DEFAULT.tunnelIdleTimeoutMs(), 0, 86_400_000));
  }
}
