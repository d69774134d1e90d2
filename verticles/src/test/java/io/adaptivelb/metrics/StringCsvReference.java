package io.adaptivelb.metrics;

import io.adaptivelb.telemetry.LatencyRecord;
import io.vertx.core.buffer.Buffer;

/**
 * The CSV row writer as it was before rows were encoded straight to bytes (StringBuilder, then
 * {@code Buffer.buffer(String)}): kept as the oracle that {@link CsvFormat} must match byte for byte.
 */
final class StringCsvReference {

  private StringCsvReference() {
  }

  static byte[] bytes(Iterable<LatencyRecord> records) {
    StringBuilder out = new StringBuilder();
    for (LatencyRecord r : records) {
      append(out, r);
    }
    return Buffer.buffer(out.toString()).getBytes();
  }

  static void append(StringBuilder out, LatencyRecord r) {
    out.append(r.tsMs()).append(',')
      .append(r.requestId()).append(',')
      .append(r.method()).append(',');
    field(out, r.path()).append(',')
      .append(r.backend()).append(',')
      .append(r.status()).append(',');
    millis(out, r.upstreamMs()).append(',');
    millis(out, r.totalMs()).append(',')
      .append(r.bytes()).append(',')
      .append(r.policy()).append(',')
      .append(r.connection()).append(',')
      .append(r.group()).append('\n');
  }

  private static StringBuilder field(StringBuilder out, String value) {
    boolean quote = false;
    for (int i = 0; i < value.length() && !quote; i++) {
      char c = value.charAt(i);
      quote = c == ',' || c == '"' || c == '\n' || c == '\r';
    }
    if (!quote) {
      return out.append(value);
    }
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"') {
        out.append('"');
      }
      out.append(c);
    }
    return out.append('"');
  }

  private static StringBuilder millis(StringBuilder out, double ms) {
    long micros = Math.round(ms * 1000);
    out.append(micros / 1000).append('.');
    long frac = micros % 1000;
    if (frac < 100) {
      out.append('0');
    }
    if (frac < 10) {
      out.append('0');
    }
    return out.append(frac);
  }
}
