package io.adaptivelb.config;

import java.util.Set;

/**
 * How the proxy checks the certificates of {@code https://} backends: against the CA certificates in
 * {@code caFile}, against the JVM's default trust store when neither key is given, or not at all with
 * {@code "insecure": true} (labs with self-signed backends only). Host names are verified whenever
 * certificates are.
 */
public record UpstreamTlsConfig(String caFile, boolean insecure) {

  public static final UpstreamTlsConfig DEFAULT = new UpstreamTlsConfig(null, false);

  static UpstreamTlsConfig read(StrictJson json) {
    json.allowOnly(Set.of("caFile", "insecure"));
    boolean insecure = json.bool("insecure", false);
    String caFile = json.has("caFile") ? PemFiles.readable(json, "caFile") : null;
    if (insecure && caFile != null) {
      throw new ConfigException(json.key("insecure"), "cannot be combined with caFile (either verify against it or not at all)");
    }
    return new UpstreamTlsConfig(caFile, insecure);
  }
}
