package io.adaptivelb.accesslog;

import io.adaptivelb.config.AccessLogConfig;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One access log file, written by a thread of its own so that no event loop ever waits on the disk:
 * the proxy hands over an {@link AccessEntry} (a queue offer); this thread formats and appends.
 * {@link #reopen()} (SIGUSR1) makes the thread close the file and open the path again between two
 * writes, so after logrotate's {@code mv} every line goes to the old file or the new one and none is
 * lost. While the disk is behind, entries wait in a bounded queue; past its bound they are counted
 * and reported rather than holding the proxy's memory without limit.
 */
public final class AccessLog {

  private static final Logger LOG = Logger.getLogger(AccessLog.class.getName());
  private static final int QUEUE_BOUND = 1 << 20;
  private static final int BATCH = 4096;
  private static final long IDLE_POLL_MS = 100;

  private final AccessLogConfig config;
  private final LinkedBlockingQueue<AccessEntry> queue = new LinkedBlockingQueue<>(QUEUE_BOUND);
  private final AtomicLong dropped = new AtomicLong();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private final Thread writer;
  private volatile boolean reopen;
  private volatile boolean closing;
  private OutputStream out;

  AccessLog(AccessLogConfig config) throws IOException {
    this.config = config;
    this.out = open();
    this.writer = new Thread(this::run, "adaptive-lb-access-log");
    writer.setDaemon(true);
    writer.start();
  }

  public String path() {
    return config.path();
  }

  /** From any thread, never blocks. */
  public void add(AccessEntry entry) {
    if (!queue.offer(entry)) {
      dropped.incrementAndGet();
    }
  }

  /** Reopens the path before the next write (its file was moved away, or is to be written anew). */
  public void reopen() {
    reopen = true;
    writer.interrupt(); // a thread waiting for entries reopens now, not on the next request
  }

  /** Writes every entry handed over so far, then closes the file. */
  CompletableFuture<Void> close() {
    closing = true;
    writer.interrupt();
    return closed;
  }

  private OutputStream open() throws IOException {
    return new BufferedOutputStream(new FileOutputStream(config.path(), true), 64 * 1024);
  }

  private void run() {
    List<AccessEntry> batch = new ArrayList<>(BATCH);
    StringBuilder text = new StringBuilder(BATCH * 200);
    try {
      while (!closing || !queue.isEmpty()) {
        if (reopen) {
          reopenNow();
        }
        AccessEntry first;
        try {
          first = queue.poll(IDLE_POLL_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          continue; // a reopen or a close asked for attention
        }
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, BATCH - 1);
        for (AccessEntry entry : batch) {
          AccessLogFormat.append(text, config.format(), entry);
        }
        batch.clear();
        write(text);
        text.setLength(0);
        reportDrops();
      }
    } finally {
      try {
        out.close();
      } catch (IOException e) {
        LOG.log(Level.WARNING, "access log " + config.path() + ": " + e.getMessage());
      }
      closed.complete(null);
    }
  }

  private void write(StringBuilder text) {
    try {
      out.write(text.toString().getBytes(StandardCharsets.UTF_8));
      out.flush(); // a line is in the file once its batch is written: tail -f and tests see it
    } catch (IOException e) {
      LOG.log(Level.WARNING, "access log " + config.path() + ": cannot write: " + e.getMessage());
    }
  }

  private void reopenNow() {
    reopen = false;
    try {
      OutputStream fresh = open();
      out.close();
      out = fresh;
    } catch (IOException e) {
      // keep writing to the file we have: its lines are not lost, only not where the operator looks
      LOG.log(Level.WARNING, "access log " + config.path() + ": cannot reopen, still writing the old file: " + e.getMessage());
    }
  }

  private void reportDrops() {
    long lost = dropped.getAndSet(0);
    if (lost > 0) {
      LOG.warning("access log " + config.path() + ": " + lost + " line(s) dropped, the disk is behind");
    }
  }
}
