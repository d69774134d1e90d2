package io.adaptivelb.proxy;

import io.vertx.core.Vertx;

/**
 * The per-try timeout of every upstream request of one proxy instance, with one timer instead of one
 * per request: a try is due from the moment its request is obtained until its response headers
 * arrive, and then again after each body chunk (silence between response bytes; the exchange stops
 * the clock while the client is the slow side). Every try in one list has the same timeout (an instance
 * keeps one list per timeout: ordinary, event streams, long polls; and one for the silence of HTTP/2
 * request bodies, {@link Http2BodyLimits}), so a try (re)started
 * now belongs at the tail: a linked list whose head is the next to expire, O(1) to add, restart and
 * remove, and a single timer armed for the head's deadline. Owned by the instance's event loop.
 */
final class TryTimeouts {

  /** A try that can be due; {@link #tryTimedOut} runs when its deadline passes before {@link #stop}. */
  abstract static class Entry {
    private Entry prev;
    private Entry next;
    private boolean queued;
    private long deadline;
    /** The list it is queued in: an exchange moves between lists of different timeouts. */
    private TryTimeouts owner;

    abstract void tryTimedOut();
  }

  private final Vertx vertx;
  private final long timeoutNanos;
  private Entry head;
  private Entry tail;
  private long timerId = -1;
  private boolean closed;

  TryTimeouts(Vertx vertx, long timeoutMs) {
    this.vertx = vertx;
    this.timeoutNanos = timeoutMs * 1_000_000L;
  }

  /** The try starts now; its deadline is one timeout away (none when the timeout is 0). */
  void start(Entry e) {
    if (timeoutNanos <= 0 || closed) {
      stop(e);
      return;
    }
    if (e.queued) {
      e.owner.unlink(e);
    }
    e.deadline = System.nanoTime() + timeoutNanos;
    e.queued = true;
    e.owner = this;
    e.prev = tail;
    e.next = null;
    if (tail == null) {
      head = e;
    } else {
      tail.next = e;
    }
    tail = e;
    if (timerId < 0) {
      arm(head.deadline);
    }
  }

  /** The try answered or ended; it can no longer time out (whichever list of the instance it was in). */
  void stop(Entry e) {
    if (e.queued) {
      e.owner.unlink(e);
    }
  }

  void close() {
    closed = true;
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
  }

  private void arm(long deadline) {
    long delayMs = Math.max(1, (deadline - System.nanoTime() + 999_999) / 1_000_000);
    timerId = vertx.setTimer(delayMs, id -> fire());
  }

  private void fire() {
    timerId = -1;
    if (closed) {
      return;
    }
    long now = System.nanoTime();
    while (head != null && head.deadline - now <= 0) {
      Entry due = head;
      unlink(due);
      due.tryTimedOut(); // may start a retry, appended behind every try already waiting
    }
    if (head != null && timerId < 0) {
      arm(head.deadline);
    }
  }

  private void unlink(Entry e) {
    if (e.prev == null) {
      head = e.next;
    } else {
      e.prev.next = e.next;
    }
    if (e.next == null) {
      tail = e.prev;
    } else {
      e.next.prev = e.prev;
    }
    e.prev = null;
    e.next = null;
    e.queued = false;
  }
}
