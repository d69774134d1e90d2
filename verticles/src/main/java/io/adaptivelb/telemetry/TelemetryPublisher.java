package io.adaptivelb.telemetry;

import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Collects one proxy instance's records and publishes them as batches: when {@code maxBatch} records
 * are waiting or {@code flushMs} after the first one, whichever comes first. Used from one event loop.
 *
 * <p>After {@link #close()} every record is published at once: a proxy that is stopping still finishes
 * exchanges (a response whose last write completes after the server shut down, a request cut when the
 * upstream clients close), and a batch timer would not fire any more once the verticle is undeployed.
 */
public final class TelemetryPublisher {

  private final Vertx vertx;
  private final String source;
  private final int maxBatch;
  private final long flushMs;
  private List<LatencyRecord> pending;
  private long timerId = -1;
  private boolean closed;

  public TelemetryPublisher(Vertx vertx, String source, int maxBatch, long flushMs) {
    this.vertx = vertx;
    this.source = source;
    this.maxBatch = maxBatch;
    this.flushMs = flushMs;
    this.pending = new ArrayList<>(maxBatch);
  }

  public void add(LatencyRecord record) {
    pending.add(record);
    if (closed || pending.size() >= maxBatch) {
      flush();
    } else if (timerId < 0) {
      timerId = vertx.setTimer(flushMs, id -> {
        timerId = -1;
        flush();
      });
    }
  }

  /** Publishes what is waiting; from now on each record goes out as it comes. */
  public void close() {
    closed = true;
    flush();
  }

  public void flush() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
    if (pending.isEmpty()) {
      return;
    }
    // Hand the list over rather than copying it: this publisher never touches it again.
    RecordBatch batch = new RecordBatch(source, Collections.unmodifiableList(pending));
    pending = new ArrayList<>(maxBatch);
    vertx.eventBus().publish(Addresses.LATENCY, batch);
  }
}
