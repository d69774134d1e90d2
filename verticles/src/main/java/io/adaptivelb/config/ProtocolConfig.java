package io.adaptivelb.config;

/**
 * Which protocols the proxy speaks on each side, read from {@code proxy.tls}, {@code proxy.http2},
 * {@code proxy.via}, {@code proxy.websocket} and {@code proxy.upstreamTls}.
 *
 * @param tls         TLS termination on the client side; null for plain HTTP
 * @param http2       HTTP/2 for clients: offered through ALPN on TLS, h2c with prior knowledge on a plain port
 * @param via         whether a {@code Via} header is added both ways. Off by default, as in nginx and
 *                    HAProxy: a stock nginx backend does not compress a response to a request that
 *                    carries {@code Via} ({@code gzip_proxied off})
 * @param websocket   whether {@code Upgrade} requests are passed through; false answers them as plain requests
 * @param upstreamTls how {@code https://} backends' certificates are verified
 */
public record ProtocolConfig(TlsConfig tls, boolean http2, boolean via, boolean websocket, UpstreamTlsConfig upstreamTls) {

  public static final ProtocolConfig DEFAULT = new ProtocolConfig(null, false, false, true, UpstreamTlsConfig.DEFAULT);

  static ProtocolConfig read(StrictJson proxy) {
    return new ProtocolConfig(
      TlsConfig.read(proxy, "tls"),
      proxy.bool("http2", false),
      proxy.bool("via", false),
      proxy.bool("websocket", true),
      UpstreamTlsConfig.read(proxy.object("upstreamTls")));
  }
}
