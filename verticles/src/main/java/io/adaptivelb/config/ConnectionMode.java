package io.adaptivelb.config;

/** How the proxy talks to its backends. */
public enum ConnectionMode {
  /** Pooled keep-alive connections, reused across requests. */
  PERSISTENT("persistent"),
  /** A new TCP connection per request, sent with {@code Connection: close}. */
  NON_PERSISTENT("non-persistent");

  public final String id;

  ConnectionMode(String id) {
    this.id = id;
  }

  public static ConnectionMode of(String id) {
    for (ConnectionMode m : values()) {
      if (m.id.equals(id)) {
        return m;
      }
    }
    throw new IllegalArgumentException(id);
  }
}
