package io.adaptivelb.metrics;

import io.adaptivelb.telemetry.LatencyRecord;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;

/**
 * Appends records to the CSV log without ever blocking the event loop: lines are encoded into one
 * reused byte array and go to an {@link AsyncFile} every {@code flushMs} or once 64 KiB are waiting.
 * Nothing is dropped: while the disk is behind, lines keep collecting, and {@link #close()} writes the
 * rest before closing.
 */
final class CsvLog {

  private static final int FLUSH_BYTES = 64 * 1024;

  private final Vertx vertx;
  private final String path;
  /** Null while {@link #reopen()} swaps files: rows collect in {@link #pending} meanwhile. */
  private AsyncFile file;
  private final long timerId;
  private Future<Void> reopening = Future.succeededFuture();
  private final CsvBytes pending = new CsvBytes(FLUSH_BYTES + 4096);
  /** Rows appended so far: a stopping proxy waits until the rows it published are counted here. */
  private long rows;

  private CsvLog(Vertx vertx, String path, AsyncFile file, long flushMs) {
    this.vertx = vertx;
    this.path = path;
    this.file = file;
    this.timerId = vertx.setPeriodic(flushMs, id -> flush());
  }

  /** Opens {@code path} for appending, writing the header first when the file is new or empty. */
  static Future<CsvLog> open(Vertx vertx, String path, long flushMs) {
    return openFile(vertx, path).map(file -> new CsvLog(vertx, path, file, flushMs));
  }

  private static Future<AsyncFile> openFile(Vertx vertx, String path) {
    return vertx.fileSystem().exists(path)
      .compose(exists -> exists ? vertx.fileSystem().props(path).map(p -> p.size()) : Future.succeededFuture(0L))
      .compose(size -> vertx.fileSystem()
        .open(path, new OpenOptions().setWrite(true).setCreate(true).setAppend(true))
        .map(file -> {
          if (size == 0) {
            file.write(Buffer.buffer(CsvFormat.HEADER + "\n")); // before any row: AsyncFile writes in order
          }
          return file;
        }));
  }

  /**
   * Writes what is waiting to the file open now, closes it and opens the path again (logrotate moved the
   * file away): every row lands in the old file or the new one.
   */
  Future<Void> reopen() {
    if (file == null) {
      return Future.succeededFuture(); // a reopen is under way: it opens the path anew anyway
    }
    AsyncFile old = file;
    file = null;
    if (pending.length() > 0) {
      old.write(take());
    }
    reopening = old.close().recover(err -> Future.succeededFuture())
      .compose(v -> openFile(vertx, path))
      .onSuccess(fresh -> file = fresh)
      .onFailure(err -> java.util.logging.Logger.getLogger(CsvLog.class.getName())
        .warning("metrics.csv: cannot reopen " + path + ": " + err.getMessage()))
      .mapEmpty();
    return reopening;
  }

  void append(LatencyRecord record) {
    CsvFormat.append(pending, record);
    rows++;
    if (pending.length() >= FLUSH_BYTES) {
      flush();
    }
  }

  long rows() {
    return rows;
  }

  private void flush() {
    if (pending.length() == 0 || file == null || file.writeQueueFull()) {
      return; // the disk is behind: keep collecting rather than queueing without bound inside the file
    }
    file.write(take());
  }

  /** The waiting bytes as a Buffer of their own (AsyncFile writes later, the array is reused now). */
  private Buffer take() {
    Buffer chunk = Buffer.buffer(pending.length()).appendBytes(pending.array(), 0, pending.length());
    pending.clear();
    return chunk;
  }

  Future<Void> close() {
    vertx.cancelTimer(timerId);
    return reopening.transform(ar -> closeNow());
  }

  private Future<Void> closeNow() {
    if (file == null) {
      return Future.succeededFuture(); // the reopen failed: there is no file to write the rest to
    }
    if (pending.length() > 0) {
      file.write(take());
    }
    return file.flush().compose(v -> file.close());
  }
}
