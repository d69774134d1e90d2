package io.adaptivelb.metrics;

import io.adaptivelb.telemetry.LatencyRecord;

/** One {@code proxy_log.csv} line per record, RFC 4180 quoting, milliseconds with 3 decimals. */
final class CsvFormat {

  static final String HEADER = "ts_ms,request_id,method,path,backend,status,upstream_ms,total_ms,bytes,policy,connection";

  private CsvFormat() {
  }

  static void append(StringBuilder out, LatencyRecord r) {
    out.append(r.tsMs()).append(',');
    field(out, r.requestId()).append(',');
    field(out, r.method()).append(',');
    field(out, r.path()).append(',');
    field(out, r.backend()).append(',');
    out.append(r.status()).append(',');
    millis(out, r.upstreamMs()).append(',');
    millis(out, r.totalMs()).append(',');
    out.append(r.bytes()).append(',');
    field(out, r.policy()).append(',');
    field(out, r.connection()).append('\n');
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
