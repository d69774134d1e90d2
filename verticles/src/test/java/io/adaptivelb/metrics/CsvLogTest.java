package io.adaptivelb.metrics;

import io.adaptivelb.telemetry.LatencyRecord;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The log file holds the header once and then every row exactly as {@link CsvFormat} encodes it (its
 * golden files pin the format), across many flushes and reopenings.
 */
@ExtendWith(VertxExtension.class)
class CsvLogTest {

  @Test
  void rowsAcrossManyFlushesAreEveryRowInOrder(Vertx vertx, @TempDir Path dir) throws Exception {
    Path csv = dir.resolve("proxy_log.csv");
    List<LatencyRecord> records = records(0, 5_000); // about 400 KiB: several size-triggered flushes
    onContext(vertx, v -> CsvLog.open(v, csv.toString(), 10).compose(log -> {
      records.forEach(log::append);
      return log.close();
    }));
    assertArrayEquals(concat((CsvFormat.HEADER + "\n").getBytes(StandardCharsets.UTF_8), rows(records)),
      Files.readAllBytes(csv));
  }

  @Test
  void reopeningAppendsWithoutASecondHeader(Vertx vertx, @TempDir Path dir) throws Exception {
    Path csv = dir.resolve("proxy_log.csv");
    List<LatencyRecord> first = records(0, 10);
    List<LatencyRecord> second = records(10, 20);
    for (List<LatencyRecord> batch : List.of(first, second)) {
      onContext(vertx, v -> CsvLog.open(v, csv.toString(), 250).compose(log -> {
        batch.forEach(log::append);
        return log.close();
      }));
    }
    List<LatencyRecord> all = new ArrayList<>(first);
    all.addAll(second);
    assertArrayEquals(concat((CsvFormat.HEADER + "\n").getBytes(StandardCharsets.UTF_8), rows(all)),
      Files.readAllBytes(csv));
  }

  /** Runs the log on one event loop, as the metrics verticle does (its flush timer fires there too). */
  private static void onContext(Vertx vertx, Function<Vertx, Future<?>> work) throws Exception {
    Context context = vertx.getOrCreateContext();
    Promise<Object> done = Promise.promise();
    context.runOnContext(v -> work.apply(vertx).onComplete(ar -> {
      if (ar.succeeded()) {
        done.complete();
      } else {
        done.fail(ar.cause());
      }
    }));
    done.future().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static List<LatencyRecord> records(int from, int to) {
    List<LatencyRecord> records = new ArrayList<>();
    for (int i = from; i < to; i++) {
      String path = i % 7 == 0 ? "/q?a=" + i + ",\"b\"" : i % 11 == 0 ? "/caf\u00e9/" + i : "/r/" + i;
      records.add(new LatencyRecord(1795689779658L + i, "2805-2-" + i, i % 5 == 0 ? "POST" : "GET", path, "b" + (i % 3),
        i % 13 == 0 ? 502 : 200, i / 7.0, i / 3.0 - 1, i * 10L, "p2c-peak-ewma", "persistent", i % 13 == 0, 1, false, i % 4));
    }
    return records;
  }

  private static byte[] rows(List<LatencyRecord> records) {
    CsvBytes out = new CsvBytes(16);
    records.forEach(r -> CsvFormat.append(out, r));
    return Arrays.copyOf(out.array(), out.length());
  }

  private static byte[] concat(byte[] a, byte[] b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(a);
    out.writeBytes(b);
    return out.toByteArray();
  }
}
