package io.adaptivelb.proxy;

import io.adaptivelb.config.ProtocolConfig;
import io.adaptivelb.config.TlsConfig;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;

import java.util.List;
import java.util.Set;

/**
 * TLS termination on the client side: PEM certificate and key (more pairs chosen by SNI), TLS 1.2 and
 * 1.3 only, ALPN offering h2 (when HTTP/2 is on) and http/1.1. The same options serve the listen and
 * every admin reload, which reads the files again.
 */
final class ClientTls {

  /** Older versions have known weaknesses and no client worth serving still needs them. */
  static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

  private ClientTls() {
  }

  static HttpServerOptions apply(HttpServerOptions options, ProtocolConfig protocols) {
    TlsConfig tls = protocols.tls();
    if (tls == null) {
      return options;
    }
    ServerSSLOptions ssl = sslOptions(tls);
    return options.setSsl(true)
      .setKeyCertOptions(ssl.getKeyCertOptions())
      .setSni(ssl.isSni())
      .setEnabledSecureTransportProtocols(ssl.getEnabledSecureTransportProtocols())
      .setUseAlpn(true)
      .setAlpnVersions(protocols.http2() ? List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1) : List.of(HttpVersion.HTTP_1_1));
  }

  /** The TLS part alone, for a running server's reload (the ALPN list is the server's own). */
  static ServerSSLOptions sslOptions(TlsConfig tls) {
    PemKeyCertOptions pem = new PemKeyCertOptions();
    for (TlsConfig.CertKeyPair pair : tls.pairs()) {
      pem.addCertPath(pair.cert()).addKeyPath(pair.key());
    }
    return new ServerSSLOptions()
      .setKeyCertOptions(pem)
      .setSni(!tls.sni().isEmpty())
      .setEnabledSecureTransportProtocols(PROTOCOLS)
      .setUseAlpn(true);
  }
}
