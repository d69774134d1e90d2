package io.adaptivelb.config;

import java.util.List;
import java.util.Set;

/**
 * TLS termination on the proxy's listening port: a PEM certificate chain and its private key, and
 * optionally more pairs picked by the name the client asks for (SNI). The files are read when the
 * proxy starts and again on every admin reload, so renewed certificates take effect without a restart.
 *
 * @param cert PEM certificate chain (leaf first): the one served when no SNI pair matches
 * @param key  PEM private key of {@code cert} (PKCS#8 or PKCS#1)
 * @param sni  further pairs, chosen by the client's server name against their certificates' names
 */
public record TlsConfig(String cert, String key, List<CertKeyPair> sni) {

  /** One certificate chain and its key. */
  public record CertKeyPair(String cert, String key) {

    static CertKeyPair read(StrictJson json) {
      json.allowOnly(Set.of("cert", "key"));
      return new CertKeyPair(PemFiles.readable(json, "cert"), PemFiles.readable(json, "key"));
    }
  }

  /** Null when {@code tls} is absent: the port speaks plain HTTP. */
  static TlsConfig read(StrictJson parent, String name) {
    if (!parent.has(name)) {
      return null;
    }
    StrictJson json = parent.object(name);
    json.allowOnly(Set.of("cert", "key", "sni"));
    return new TlsConfig(PemFiles.readable(json, "cert"), PemFiles.readable(json, "key"),
      List.copyOf(json.objects("sni", CertKeyPair::read)));
  }

  /** Every pair, the default first (the order Vert.x falls back in). */
  public List<CertKeyPair> pairs() {
    return java.util.stream.Stream.concat(java.util.stream.Stream.of(new CertKeyPair(cert, key)), sni.stream()).toList();
  }
}
