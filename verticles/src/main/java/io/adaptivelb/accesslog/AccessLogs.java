package io.adaptivelb.accesslog;

import io.adaptivelb.config.AccessLogConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The process's open access logs, one per file, shared by the proxy instances that name it (they run
 * on different event loops and write one file) and counted so the last one to stop closes it.
 */
public final class AccessLogs {

  private static final Map<Path, Shared> OPEN = new HashMap<>();

  private record Shared(AccessLog log, int users) {
  }

  private AccessLogs() {
  }

  /** The log for this config's path, opened (created, appended to) by its first user. */
  public static synchronized AccessLog acquire(AccessLogConfig config) {
    Path key = Path.of(config.path()).toAbsolutePath().normalize();
    Shared shared = OPEN.get(key);
    if (shared == null) {
      try {
        shared = new Shared(new AccessLog(config), 0);
      } catch (IOException e) {
        throw new UncheckedIOException("proxy.accessLog.path: cannot open " + config.path() + ": " + e.getMessage(), e);
      }
    }
    OPEN.put(key, new Shared(shared.log(), shared.users() + 1));
    return shared.log();
  }

  /** One user is done; the last one's release writes what is queued and closes the file. */
  public static CompletableFuture<Void> release(AccessLog log) {
    synchronized (AccessLogs.class) {
      Path key = Path.of(log.path()).toAbsolutePath().normalize();
      Shared shared = OPEN.get(key);
      if (shared == null || shared.log() != log) {
        return CompletableFuture.completedFuture(null);
      }
      if (shared.users() > 1) {
        OPEN.put(key, new Shared(log, shared.users() - 1));
        return CompletableFuture.completedFuture(null);
      }
      OPEN.remove(key);
    }
    return log.close();
  }

  /** SIGUSR1. */
  public static synchronized void reopenAll() {
    OPEN.values().forEach(shared -> shared.log().reopen());
  }
}
