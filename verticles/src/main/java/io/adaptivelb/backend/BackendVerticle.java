package io.adaptivelb.backend;

import io.adaptivelb.config.BackendConfig;
import io.adaptivelb.config.PhaseConfig;
import io.adaptivelb.config.StrictJson;
import io.adaptivelb.control.ControlAddresses;
import io.adaptivelb.telemetry.Addresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * One simulated backend: waits a service time drawn from its latency distribution (on a timer,
 * never sleeping), at most {@code capacity} requests at a time, fails {@code errorRate} of them with
 * 500, and answers {@code bodyBytes} bytes (or {@code ?size=N}). Every response names the backend in
 * {@code X-Backend}; a request body is hashed so clients can check uploads end to end.
 */
public final class BackendVerticle extends VerticleBase {

  public static final String BACKEND_HEADER = "X-Backend";
  public static final String BODY_SHA_HEADER = "X-Request-Body-Sha256";
  public static final String BODY_BYTES_HEADER = "X-Request-Body-Bytes";
  private static final long MAX_BODY = 1L << 32;

  private final BackendConfig config;
  private final BackendCounters counters = new BackendCounters();
  private final RandomGenerator random;
  private BackendProfile profile;
  private CapacityGate gate;
  private HttpServer server;
  private long startedAtMs;

  public BackendVerticle(BackendConfig config) {
    this(config, new SplittableRandom());
  }

  public BackendVerticle(BackendConfig config, RandomGenerator random) {
    this.config = config;
    this.random = random;
  }

  @Override
  public Future<?> start() {
    profile = new BackendProfile(config);
    gate = new CapacityGate(profile.capacity());
    startedAtMs = System.currentTimeMillis();
    PhaseSchedule.start(config.phases(), (delayMs, action) -> vertx.setTimer(delayMs, id -> action.run()), this::applyPhase);
    vertx.setPeriodic(1000, id -> publishCounters());
    // Its own address, so whoever changes the profile learns whether this backend exists and what it now runs.
    vertx.eventBus().<JsonObject>consumer(ControlAddresses.backend(config.name()), m -> {
      try {
        applyPhase(PhaseConfig.readChange(new StrictJson(m.body(), "profile")));
        publishCounters();
        m.reply(new JsonObject().put("name", config.name()).put("profile", profile.toJson()));
      } catch (RuntimeException e) {
        m.fail(400, e.getMessage());
      }
    });
    server = vertx.createHttpServer(new HttpServerOptions().setHost(config.host()).setPort(config.port()))
      .connectionHandler(connection -> counters.connectionAccepted())
      .requestHandler(this::handle);
    return server.listen();
  }

  public BackendCounters counters() {
    return counters;
  }

  public String name() {
    return config.name();
  }

  /** The port actually bound (differs from the config when it asked for 0). */
  public int port() {
    return server.actualPort();
  }

  private void applyPhase(PhaseConfig phase) {
    profile = profile.with(phase);
    gate.resize(profile.capacity());
  }

  private void handle(HttpServerRequest request) {
    RequestBodyDigest digest = new RequestBodyDigest();
    request.handler(digest::update);
    request.endHandler(v -> gate.enter(() -> serve(request, digest)));
  }

  private void serve(HttpServerRequest request, RequestBodyDigest digest) {
    HttpServerResponse response = request.response();
    if (response.closed()) {
      gate.leave();
      return;
    }
    long delay = Math.round(profile.latency().sampleMs(random));
    if (delay < 1) {
      respond(request, digest);
    } else {
      vertx.setTimer(delay, id -> respond(request, digest));
    }
  }

  private void respond(HttpServerRequest request, RequestBodyDigest digest) {
    HttpServerResponse response = request.response();
    boolean error = profile.errorRate() > 0 && random.nextDouble() < profile.errorRate();
    counters.requestServed(error); // counted before the first byte leaves, so a client never sees an uncounted answer
    response.putHeader(BACKEND_HEADER, config.name());
    if (digest.bytes() > 0) {
      response.putHeader(BODY_SHA_HEADER, digest.hex()).putHeader(BODY_BYTES_HEADER, Long.toString(digest.bytes()));
    }
    Future<Void> done;
    if (error) {
      response.setStatusCode(500).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain");
      done = response.end("simulated failure from " + config.name() + "\n");
    } else {
      long size = bodySize(request);
      response.putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=us-ascii")
        .putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(size));
      done = new PatternWriter(response, size).start();
    }
    done.onComplete(ar -> gate.leave());
  }

  private long bodySize(HttpServerRequest request) {
    if (request.query() != null) {
      String size = request.getParam("size");
      if (size != null) {
        try {
          return Math.max(0, Math.min(MAX_BODY, Long.parseLong(size)));
        } catch (NumberFormatException ignored) {
          // fall through to the configured size
        }
      }
    }
    return config.bodyBytes();
  }

  private void publishCounters() {
    vertx.eventBus().publish(Addresses.BACKEND_COUNTERS, countersJson());
  }

  public JsonObject countersJson() {
    return new JsonObject()
      .put("name", config.name())
      .put("port", server == null ? config.port() : server.actualPort())
      .put("connections", counters.connections())
      .put("requests", counters.requests())
      .put("errors", counters.errors())
      .put("active", gate.active())
      .put("queued", gate.queued())
      .put("uptimeSec", (System.currentTimeMillis() - startedAtMs) / 1000)
      .put("profile", profile.toJson());
  }
}
