package io.adaptivelb.backend;

import io.vertx.core.buffer.Buffer;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of a request body as it streams in; nothing is kept but the digest state. */
final class RequestBodyDigest {

  private MessageDigest sha;
  private long bytes;

  void update(Buffer chunk) {
    if (sha == null) {
      try {
        sha = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every JVM has SHA-256", e);
      }
    }
    sha.update(chunk.getBytes());
    bytes += chunk.length();
  }

  long bytes() {
    return bytes;
  }

  String hex() {
    return HexFormat.of().formatHex(sha.digest());
  }
}
