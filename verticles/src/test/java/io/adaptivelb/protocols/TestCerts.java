package io.adaptivelb.protocols;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away CA and server certificates signed by it, made with the system's openssl in a test's
 * temporary directory: {@code localhost} (with 127.0.0.1) as the default, {@code other.test} for SNI.
 */
final class TestCerts {

  final Path dir;
  final Path ca;
  final Path caKey;

  private TestCerts(Path dir) {
    this.dir = dir;
    this.ca = dir.resolve("ca.pem");
    this.caKey = dir.resolve("ca-key.pem");
  }

  static TestCerts create(Path dir) throws Exception {
    TestCerts certs = new TestCerts(dir);
    certs.openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
      "-keyout", certs.caKey.toString(), "-out", certs.ca.toString(), "-days", "2", "-subj", "/CN=adaptive-lb test CA");
    return certs;
  }

  /** A certificate for {@code name} signed by the CA: {@code <file>.pem} and {@code <file>-key.pem}. */
  Path[] issue(String file, String commonName, String subjectAltNames) throws Exception {
    Path cert = dir.resolve(file + ".pem");
    Path key = dir.resolve(file + "-key.pem");
    Path csr = dir.resolve(file + ".csr");
    Path ext = dir.resolve(file + ".ext");
    Files.writeString(ext, "subjectAltName=" + subjectAltNames + "\n", StandardCharsets.US_ASCII);
    openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key.toString(),
      "-out", csr.toString(), "-subj", "/CN=" + commonName);
    openssl("x509", "-req", "-in", csr.toString(), "-CA", ca.toString(), "-CAkey", caKey.toString(),
      "-CAcreateserial", "-out", cert.toString(), "-days", "2", "-extfile", ext.toString());
    return new Path[]{cert, key};
  }

  private void openssl(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("openssl " + String.join(" ", args) + " failed: " + out);
    }
  }
}
