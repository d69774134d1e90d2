package io.adaptivelb.accesslog;

import io.adaptivelb.config.AccessLogConfig;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The two line formats. {@code combined} is Apache's and nginx's
 * ({@code $remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"}),
 * with nginx's escaping ({@code "} and {@code \} and bytes outside printable ASCII as {@code \xHH}), so
 * log analysers read it as they read nginx's. {@code json} is one object per line with every field of
 * {@link AccessEntry}.
 */
public final class AccessLogFormat {

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();
  private static final DateTimeFormatter LOCAL_TIME =
    DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneId.systemDefault());

  private AccessLogFormat() {
  }

  public static void append(StringBuilder out, String format, AccessEntry e) {
    if (AccessLogConfig.JSON.equals(format)) {
      json(out, e);
    } else {
      combined(out, e);
    }
    out.append('\n');
  }

  static void combined(StringBuilder out, AccessEntry e) {
    out.append(e.client()).append(" - - [").append(LOCAL_TIME.format(Instant.ofEpochMilli(e.timeMs()))).append("] \"");
    escaped(out, e.method() + " " + e.target() + " " + e.protocol());
    out.append("\" ").append(e.status()).append(' ').append(e.bytesOut()).append(" \"");
    escaped(out, e.referer() == null ? "-" : e.referer());
    out.append("\" \"");
    escaped(out, e.userAgent() == null ? "-" : e.userAgent());
    out.append('"');
  }

  static void json(StringBuilder out, AccessEntry e) {
    out.append(new JsonObject()
      .put("time", Instant.ofEpochMilli(e.timeMs()).toString())
      .put("client", e.client())
      .put("method", e.method())
      .put("path", e.target())
      .put("protocol", e.protocol())
      .put("status", e.status())
      .put("bytesIn", e.bytesIn())
      .put("bytesOut", e.bytesOut())
      .put("group", e.group())
      .put("backend", e.backend())
      .put("tries", e.tries())
      .put("upstreamMs", millis(e.upstreamMs()))
      .put("totalMs", millis(e.totalMs()))
      .put("requestId", e.requestId())
      .put("userAgent", e.userAgent())
      .put("referer", e.referer())
      .encode());
  }

  /** Milliseconds to the microsecond, as the CSV writes them. */
  private static double millis(double ms) {
    return Math.round(ms * 1000) / 1000.0;
  }

  private static void escaped(StringBuilder out, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\' || c < 0x20 || c > 0x7e) {
        // Header and target bytes arrive as chars 0-255 (ISO-8859-1): a byte is escaped as nginx escapes it
        if (c <= 0xff) {
          hex(out, c);
        } else {
          for (byte b : String.valueOf(c).getBytes(StandardCharsets.UTF_8)) {
            hex(out, b & 0xff);
          }
        }
      } else {
        out.append(c);
      }
    }
  }

  private static void hex(StringBuilder out, int b) {
    out.append("\\x").append(HEX[b >> 4]).append(HEX[b & 0xf]);
  }
}
