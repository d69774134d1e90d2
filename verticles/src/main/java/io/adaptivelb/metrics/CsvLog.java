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
  private final AsyncFile file;
  private final long timerId;
  private final CsvBytes pending = new CsvBytes(FLUSH_BYTES + 4096);
  /** Rows appended so far: a stopping proxy waits until the rows it published are counted here. */
  private long rows;

  private CsvLog(Vertx vertx, AsyncFile file, long flushMs) {
    this.vertx = vertx;
    this.file = file;
    this.timerId = vertx.setPeriodic(flushMs, id -> flush());
  }

  /** Opens {@code path} for appending, writing the header first when the file is new or empty. */
  static Future<CsvLog> open(Vertx vertx, String path, long flushMs) {
    return vertx.fileSystem().exists(path)
      .compose(exists -> exists ? vertx.fileSystem().props(path).map(p -> p.size()) : Future.succeededFuture(0L))
      .compose(size -> vertx.fileSystem()
        .open(path, new OpenOptions().setWrite(true).setCreate(true).setAppend(true))
        .map(file -> {
          CsvLog log = new CsvLog(vertx, file, flushMs);
          if (size == 0) {
            log.pending.text(CsvFormat.HEADER).ascii('\n');
          }
          return log;
        }));
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
    if (pending.length() == 0 || file.writeQueueFull()) {
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
    if (pending.length() > 0) {
      file.write(take());
    }
    return file.flush().compose(v -> file.close());
  }
}
