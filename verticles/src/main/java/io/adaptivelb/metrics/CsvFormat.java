package io.adaptivelb.metrics;

import io.adaptivelb.telemetry.LatencyRecord;

/**
 * One {@code proxy_log.csv} line per record, RFC 4180 quoting, milliseconds with 3 decimals; encoded
 * straight into the log's reusable bytes (see {@link CsvBytes}), so a row allocates nothing.
 */
final class CsvFormat {

  static final String HEADER = "ts_ms,request_id,method,path,backend,status,upstream_ms,total_ms,bytes,policy,connection,group,bytes_in";

  private CsvFormat() {
  }

  static void append(CsvBytes out, LatencyRecord r) {
    // Only the path can hold a comma or a quote: request ids are checked against [A-Za-z0-9._:-] by the
    // proxy, methods are HTTP tokens, backend and group names are validated config, policy and connection
    // are ids. Those repeat on every row, so they are words: encoded once, then copied.
    out.number(r.tsMs()).ascii(',')
      .text(r.requestId()).ascii(',')
      .word(r.method()).ascii(',');
    field(out, r.path()).ascii(',')
      .word(r.backend()).ascii(',')
      .number(r.status()).ascii(',');
    millis(out, r.upstreamMs()).ascii(',');
    millis(out, r.totalMs()).ascii(',')
      .number(r.bytes()).ascii(',')
      .word(r.policy()).ascii(',')
      .word(r.connection()).ascii(',')
      .word(r.group()).ascii(',')
      .number(r.bytesIn()).ascii('\n');
  }

  private static CsvBytes field(CsvBytes out, String value) {
    int special = -1;
    for (int i = 0; i < value.length() && special < 0; i++) {
      char c = value.charAt(i);
      if (c == ',' || c == '"' || c == '\n' || c == '\r') {
        special = i;
      }
    }
    if (special < 0) {
      return out.text(value);
    }
    // RFC 4180: quoted, a quote doubled; copied in runs between quotes rather than char by char
    out.ascii('"');
    int from = 0;
    for (int q = value.indexOf('"', special); q >= 0; q = value.indexOf('"', q + 1)) {
      out.text(value, from, q + 1).ascii('"');
      from = q + 1;
    }
    return out.text(value, from, value.length()).ascii('"');
  }

  /** Three decimals, rounded to the microsecond (NaN writes 0.000; the arithmetic is the log's historic one). */
  private static CsvBytes millis(CsvBytes out, double ms) {
    long micros = Math.round(ms * 1000);
    out.number(micros / 1000).ascii('.');
    long frac = micros % 1000;
    if (frac < 100) {
      out.ascii('0');
    }
    if (frac < 10) {
      out.ascii('0');
    }
    return out.number(frac);
  }
}
