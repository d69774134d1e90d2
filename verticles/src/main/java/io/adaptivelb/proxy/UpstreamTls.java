package io.adaptivelb.proxy;

import io.adaptivelb.config.UpstreamTlsConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;

import javax.net.ssl.SSLException;
import java.io.File;

/**
 * TLS towards {@code https://} backends, one Netty context for the instance's upstream connector
 * (forwarded requests, warm-up probes and active health checks alike): certificates checked against
 * the CA file, the JVM's trust store, or not at all; host names checked whenever certificates are.
 */
final class UpstreamTls {

  /** The versions a backend may negotiate: the same floor as the client side. */
  static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  private UpstreamTls() {
  }

  /** Reads the CA file once: made when the proxy instance starts, shared by its connectors. */
  static SslContext context(UpstreamTlsConfig config) {
    SslContextBuilder builder = SslContextBuilder.forClient().protocols(PROTOCOLS);
    if (config.insecure()) {
      builder.trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null);
    } else {
      if (config.caFile() != null) {
        builder.trustManager(new File(config.caFile()));
      }
      builder.endpointIdentificationAlgorithm("HTTPS");
    }
    try {
      return builder.build();
    } catch (SSLException e) {
      throw new IllegalStateException("proxy.upstreamTls: " + e.getMessage(), e);
    }
  }
}
