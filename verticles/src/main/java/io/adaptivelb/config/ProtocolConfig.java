package io.adaptivelb.config;

/**
 * Which protocols the proxy speaks on each side, read from {@code proxy.tls}, {@code proxy.http2},
 * {@code proxy.via} and {@code proxy.upstreamTls}. ({@code proxy.websocket} comes with WebSocket
 * pass-through; until then the key is refused rather than accepted and ignored.)
 *
 * @param tls         TLS termination on the client side; null for plain HTTP
 * @param http2       HTTP/2 for clients: offered through ALPN on TLS, h2c with prior knowledge on a plain port
 * @param via         whether a {@code Via} header is added both ways. Off by default, as in nginx and
 *                    HAProxy: a stock nginx backend does not compress a response to a request that
 *                    carries {@code Via} ({@code gzip_proxied off})
 * @param upstreamTls how {@code https://} backends' certificates are verified
 */
@KeysOfParent
public record ProtocolConfig(TlsConfig tls, boolean http2, boolean via, UpstreamTlsConfig upstreamTls) {

  public static final ProtocolConfig DEFAULT = new ProtocolConfig(null, false, false, UpstreamTlsConfig.DEFAULT);

  static ProtocolConfig read(StrictJson proxy) {
    return new ProtocolConfig(
      TlsConfig.read(proxy, "tls"),
      proxy.bool("http2", false),
      proxy.bool("via", false),
      UpstreamTlsConfig.read(proxy.object("upstreamTls")));
  }
}
