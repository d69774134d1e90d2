package io.adaptivelb.cluster;

/** Event-bus addresses of backend discovery; docs/architecture.md shows each message shape. */
public final class DiscoveryAddresses {

  /** Publish, JSON {@link BackendAnnouncement}: a backend is up, every heartbeat. */
  public static final String ANNOUNCE = "lb.backend.announce";
  /** Publish, JSON {@link BackendGoodbye}: these backends of this run stop now (a clean shutdown says goodbye). */
  public static final String LEAVE = "lb.backend.leave";
  /** Publish, empty JSON: a proxy just started; every backend announces itself at once. */
  public static final String HELLO = "lb.backend.hello";

  private DiscoveryAddresses() {
  }
}
