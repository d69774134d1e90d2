package io.adaptivelb.metrics;

import io.adaptivelb.telemetry.LatencyRecord;

/** One {@code proxy_log.csv} line per record, RFC 4180 quoting, milliseconds with 3 decimals. */
final class CsvFormat {

  static final String HEADER = "ts_ms,request_id,method,path,backend,status,upstream_ms,total_ms,bytes,policy,connection";

  private CsvFormat() {
  }

  static void append(StringBuilder out, LatencyRecord r) {
    // Only the path can hold a comma or a quote: request ids are checked against [A-Za-z0-9._:-] by the
    // proxy, methods are HTTP tokens, backend names are validated config, policy and connection are ids.
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
      .append(r.connection()).append('\n');
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
