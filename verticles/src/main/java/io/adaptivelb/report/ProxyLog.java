package io.adaptivelb.report;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads {@code proxy_log.csv}. Columns are found by header name, not position, so a column added to
 * the log later does not shift what the report reads.
 */
public final class ProxyLog {

  /**
   * The columns the report uses; times in ms. {@code policy} and {@code connection} say which proxy
   * configuration served the request ("" in a log written before they were columns).
   */
  public record Row(long tsMs, String backend, int status, double upstreamMs, double totalMs, String policy,
                    String connection) {

    public Row(long tsMs, String backend, int status, double upstreamMs, double totalMs) {
      this(tsMs, backend, status, upstreamMs, totalMs, "", "");
    }

    public boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  private ProxyLog() {
  }

  /**
   * Feeds {@code sink} every row with {@code fromMs <= ts_ms <= toMs}: the wrk window, so a request sent
   * before or after the measured run (there should be none, but a readiness probe would be one) is left out.
   */
  public static void read(Path csv, long fromMs, long toMs, Consumer<Row> sink) throws IOException {
    try (BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
      read(new CsvReader(in), fromMs, toMs, sink);
    }
  }

  static void read(CsvReader csv, long fromMs, long toMs, Consumer<Row> sink) throws IOException {
    List<String> header = csv.next();
    if (header == null) {
      return;
    }
    int ts = column(header, "ts_ms");
    int backend = column(header, "backend");
    int status = column(header, "status");
    int upstream = column(header, "upstream_ms");
    int total = column(header, "total_ms");
    int policy = header.indexOf("policy");
    int connection = header.indexOf("connection");
    List<String> f;
    while ((f = csv.next()) != null) {
      if (f.size() < header.size()) {
        continue; // a torn last line of a log killed mid-write: not a request we can account for
      }
      long t = Long.parseLong(f.get(ts));
      if (t < fromMs || t > toMs) {
        continue;
      }
      sink.accept(new Row(t, f.get(backend), Integer.parseInt(f.get(status)), Double.parseDouble(f.get(upstream)),
          Double.parseDouble(f.get(total)), policy < 0 ? "" : f.get(policy), connection < 0 ? "" : f.get(connection)));
    }
  }

  private static int column(List<String> header, String name) {
    int i = header.indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException("proxy_log.csv has no column " + name + ": " + header);
    }
    return i;
  }
}
