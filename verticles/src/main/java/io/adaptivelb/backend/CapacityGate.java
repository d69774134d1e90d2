package io.adaptivelb.backend;

import java.util.ArrayDeque;

/**
 * At most {@code capacity} requests in service at once; the rest wait in FIFO order, so latency
 * grows with load the way it does on a real server with a fixed worker pool. Capacity 0 means
 * unbounded. Single-threaded: owned by one backend's event loop.
 */
final class CapacityGate {

  private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
  private int capacity;
  private int active;

  CapacityGate(int capacity) {
    this.capacity = capacity;
  }

  /** Runs {@code service} now if a slot is free, otherwise once one is released. */
  void enter(Runnable service) {
    if (capacity == 0 || active < capacity) {
      active++;
      service.run();
    } else {
      waiting.addLast(service);
    }
  }

  void leave() {
    active--;
    admitWaiting();
  }

  void resize(int newCapacity) {
    capacity = newCapacity;
    admitWaiting();
  }

  int active() {
    return active;
  }

  int queued() {
    return waiting.size();
  }

  private void admitWaiting() {
    while (!waiting.isEmpty() && (capacity == 0 || active < capacity)) {
      active++;
      waiting.pollFirst().run();
    }
  }
}
