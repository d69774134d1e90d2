package io.adaptivelb;

import io.adaptivelb.config.ConfigSource;
import io.adaptivelb.config.LabConfig;
import io.adaptivelb.internals.VertxInternals;
import io.vertx.core.Closeable;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * The launcher's main verticle: deploys the roles the config lists. It also hooks Vert.x's close so
 * that SIGTERM (the launcher closes Vert.x) stops the roles in the order that loses no record;
 * otherwise Vert.x would undeploy them all at once.
 */
public final class MainVerticle extends VerticleBase {

  private final LabConfig preset;
  private Lab lab;
  private Closeable orderedShutdown;

  public MainVerticle() {
    this(null);
  }

  /** For embedding and tests: run this config instead of the deployment's. */
  public MainVerticle(LabConfig preset) {
    this.preset = preset;
  }

  @Override
  public Future<?> start() {
    LabConfig config;
    try {
      config = preset != null ? preset : ConfigSource.resolve(config());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    lab = new Lab(vertx, config);
    orderedShutdown = completion -> lab.stop().onComplete(completion);
    VertxInternals.addCloseHook(vertx, orderedShutdown);
    return lab.start();
  }

  @Override
  public Future<?> stop() {
    VertxInternals.removeCloseHook(vertx, orderedShutdown);
    return lab.stop();
  }

  public Lab lab() {
    return lab;
  }
}
