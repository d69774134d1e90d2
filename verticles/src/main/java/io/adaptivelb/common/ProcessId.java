package io.adaptivelb.common;

import java.security.SecureRandom;

/** Names this JVM's run among the processes of a cluster: proxies and backend announcements carry it. */
public final class ProcessId {

  /**
   * The pid alone is not unique across hosts or containers (where Java is often pid 1): a random
   * token drawn once per JVM keeps ids of one cluster apart, and a restarted process gets a new one.
   */
  public static final String VALUE = ProcessHandle.current().pid() + "-"
    + Integer.toHexString(new SecureRandom().nextInt(0x10000) | 0x10000).substring(1);

  private ProcessId() {
  }
}
