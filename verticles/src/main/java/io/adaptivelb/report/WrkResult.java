package io.adaptivelb.report;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * wrk's own figures, from the one JSON line that {@code loadtest/wrk/report.lua}'s done() hook prints
 * after the prefix {@code WRK_JSON }. wrk's text output rounds and changes units; the hook gives raw
 * microseconds.
 */
public record WrkResult(long requests, double durationSec, long non2xx, long socketErrors, LatencySummary latency) {

  public static final String PREFIX = "WRK_JSON ";

  public double rps() {
    return durationSec > 0 ? requests / durationSec : Double.NaN;
  }

  public static WrkResult fromOutput(Path wrkOutput) throws IOException {
    return fromOutput(Files.readString(wrkOutput));
  }

  public static WrkResult fromOutput(String text) {
    for (String line : text.split("\n")) {
      if (line.startsWith(PREFIX)) {
        return fromJson(new JsonObject(line.substring(PREFIX.length()).trim()));
      }
    }
    throw new IllegalArgumentException("no " + PREFIX.trim() + " line in wrk output (did wrk run with report.lua?)");
  }

  static WrkResult fromJson(JsonObject j) {
    JsonObject e = j.getJsonObject("errors");
    JsonObject l = j.getJsonObject("latency_us");
    long requests = j.getLong("requests");
    // wrk counts a non-2xx/3xx answer as a status error; connect/read/write/timeout are socket errors.
    long socket = e.getLong("connect") + e.getLong("read") + e.getLong("write") + e.getLong("timeout");
    LatencySummary latency = new LatencySummary(requests, l.getDouble("mean") / 1000, l.getDouble("p50") / 1000,
        l.getDouble("p95") / 1000, l.getDouble("p99") / 1000);
    return new WrkResult(requests, j.getDouble("duration_us") / 1e6, e.getLong("status"), socket, latency);
  }
}
