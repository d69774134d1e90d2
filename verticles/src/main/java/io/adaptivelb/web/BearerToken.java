package io.adaptivelb.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** The configured {@code dashboard.adminToken}, and whether an {@code Authorization} header presents it. */
public final class BearerToken {

  private final byte[] token;

  /** @param token the configured token, or null when none is configured */
  public BearerToken(String token) {
    this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
  }

  /** Whether {@code header} is {@code Bearer <token>}; never true when no token is configured. */
  public boolean presentedIn(String header) {
    if (token == null || header == null || !header.startsWith("Bearer ")) {
      return false;
    }
    // Constant-time comparison: the token must not leak through response timing.
    return MessageDigest.isEqual(token, header.substring("Bearer ".length()).trim().getBytes(StandardCharsets.UTF_8));
  }
}
