package io.adaptivelb.admin;

import io.adaptivelb.config.ConfigSource;
import io.adaptivelb.config.LabConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Re-reads the {@code -conf} file and applies what can change live (upstream groups with everything they
 * set, routes, simulated backends' profiles) on the bus; the rest (where the proxy listens and what it
 * accepts, the other roles) is reported as needing a restart. The file is
 * read and validated off the event loop, and a file that does not validate changes nothing. Shared by
 * {@code POST /admin/reload} and SIGHUP.
 */
public final class ConfigReload {

  private ConfigReload() {
  }

  /** The file the launcher was started with ({@code -conf FILE}), or null. */
  public static String confPath() {
    return System.getProperty(AdminApi.CONF_PATH_PROPERTY);
  }

  /**
   * @return {@code {"file", "changed": [...], "applied": [...], "restartRequired": [...]}}; fails with the reader's
   * error (a {@link io.adaptivelb.config.ConfigException} naming the key) when the file is refused
   */
  public static Future<JsonObject> apply(Vertx vertx, AtomicReference<LabConfig> running, String path) {
    return vertx.executeBlocking(() -> LabConfig.parse(ConfigSource.read(path))).map(next -> {
      ConfigDiff diff = ConfigDiff.between(running.get(), next);
      diff.commands().forEach(cmd -> vertx.eventBus().publish(cmd.address(), cmd.body()));
      running.updateAndGet(c -> c.withProxy(c.proxy().withUpstreamsOf(next.proxy())));
      JsonArray applied = new JsonArray();
      diff.commands().forEach(cmd -> applied.add(cmd.body()));
      return new JsonObject().put("file", path).put("changed", new JsonArray(diff.changed())).put("applied", applied)
        .put("restartRequired", new JsonArray(diff.restartRequired()));
    });
  }
}
