package io.adaptivelb.upstream;

/**
 * A pooled connection that had already carried an exchange broke before any byte of this exchange's
 * response: most likely the backend closed it as idle just as the request went out (its keep-alive
 * timeout racing the proxy's). Nothing says the backend is unwell, and an idempotent request can be
 * sent again on a fresh connection to the same backend.
 */
public final class StaleConnectionException extends java.io.IOException {

  StaleConnectionException(Throwable cause) {
    super("reused connection closed before answering: " + cause.getMessage(), cause);
  }
}
