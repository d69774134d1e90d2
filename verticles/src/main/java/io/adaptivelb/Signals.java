package io.adaptivelb;

import io.adaptivelb.accesslog.AccessLogs;
import io.adaptivelb.admin.ConfigReload;
import io.adaptivelb.control.ControlAddresses;
import io.adaptivelb.internals.OsSignals;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * nginx's signals for a started process. HUP reloads the {@code -conf} file through the same path as
 * {@code POST /admin/reload} (a file that does not validate is refused and logged; the running config
 * stays). USR1 reopens the access log and the CSV log, logrotate's convention. TERM needs nothing here:
 * the JVM runs the launcher's shutdown hook, which closes Vert.x and so stops the roles in order.
 *
 * <p>Signals are caught through {@link OsSignals}: the JDK has no supported API for them.
 */
final class Signals {

  private static final Logger LOG = Logger.getLogger(Signals.class.getName());

  private Signals() {
  }

  static void install(Vertx vertx, Lab lab) {
    handle("HUP", () -> reload(vertx, lab));
    handle("USR1", () -> reopenLogs(vertx));
  }

  private static void handle(String name, Runnable action) {
    try {
      OsSignals.handle(name, action);
    } catch (IllegalArgumentException e) {
      // -Xrs, or a platform without this signal: the process still runs, without this control
      LOG.warning("SIG" + name + " not handled: " + e.getMessage());
    }
  }

  static void reload(Vertx vertx, Lab lab) {
    String path = ConfigReload.confPath();
    if (path == null) {
      LOG.warning("SIGHUP: nothing to reload, the process was started without -conf FILE");
      return;
    }
    ConfigReload.apply(vertx, lab.running(), path)
      .onSuccess(result -> LOG.info("SIGHUP: reloaded " + path + ": " + result.getJsonArray("applied").size()
        + " change(s) applied" + (result.getJsonArray("restartRequired").isEmpty() ? ""
        : "; a restart is needed for " + String.join(", ", result.getJsonArray("restartRequired").stream()
        .map(String::valueOf).toList()))))
      .onFailure(err -> LOG.log(Level.WARNING, "SIGHUP: reload refused, running config unchanged: " + err.getMessage()));
  }

  static void reopenLogs(Vertx vertx) {
    AccessLogs.reopenAll();
    // local only: the signal is for this process's files, not for every metrics role in a cluster
    vertx.eventBus().publish(ControlAddresses.METRICS, new JsonObject().put("op", "reopen"), new DeliveryOptions().setLocalOnly(true));
    LOG.info("SIGUSR1: reopening the access log and the CSV log");
  }
}
