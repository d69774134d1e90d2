package io.adaptivelb.report;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar adaptive-lb.jar analyze proxy_log.csv [--from T --to T]}: the proposal's figures from
 * the proxy's own log. Requests per second, mean, p50/p95/p99 of {@code total_ms} and the per-backend
 * distribution, for every policy and connection segment the log holds and, when there are several, for
 * all rows together. T is epoch milliseconds (the log's {@code ts_ms}) or an ISO-8601 instant. Rows of
 * clients that left before their answer (status 499) are counted apart and in no other figure, exactly
 * as in the load-test report's proxy columns; so are tunnels (status 101), whose total_ms is a lifetime.
 */
public final class Analyze {

  static final String USAGE = "usage: analyze PROXY_LOG.csv [--from T] [--to T]   "
      + "(T: epoch ms as in ts_ms, or an ISO-8601 instant such as 2026-12-02T04:00:00Z)";

  private Analyze() {
  }

  /** Runs the command; returns the exit status (0 done, 2 bad arguments, 1 unreadable log). */
  public static int run(List<String> args, PrintStream out, PrintStream err) {
    Path csv = null;
    long from = Long.MIN_VALUE;
    long to = Long.MAX_VALUE;
    try {
      for (int i = 0; i < args.size(); i++) {
        String a = args.get(i);
        switch (a) {
          case "--from" -> from = time("--from", value(args, ++i, a));
          case "--to" -> to = time("--to", value(args, ++i, a));
          case "-h", "--help" -> {
            out.println(USAGE);
            return 0;
          }
          default -> {
            if (a.startsWith("-") || csv != null) {
              throw new IllegalArgumentException("unexpected argument " + a);
            }
            csv = Path.of(a);
          }
        }
      }
      if (csv == null) {
        throw new IllegalArgumentException("no proxy log given");
      }
      if (from > to) {
        throw new IllegalArgumentException("--from is after --to");
      }
    } catch (IllegalArgumentException e) {
      err.println("analyze: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }
    LogSegments log = new LogSegments();
    try {
      ProxyLog.read(csv, from, to, log);
    } catch (NoSuchFileException e) {
      err.println("analyze: no such file: " + csv);
      return 1;
    } catch (IOException | RuntimeException e) {
      err.println("analyze: cannot read " + csv + ": " + e.getMessage());
      return 1;
    }
    print(out, csv, log, from, to);
    return 0;
  }

  static void print(PrintStream out, Path csv, LogSegments log, long from, long to) {
    LogSegments.Segment all = log.all();
    if (all.figures().rows() == 0 && all.figures().abandoned() == 0 && all.figures().tunnels() == 0) {
      out.println(csv + ": no rows" + (from == Long.MIN_VALUE && to == Long.MAX_VALUE ? "" : " in the window"));
      return;
    }
    out.println(csv + ": " + Fmt.count(all.figures().rows()) + " answered requests from "
        + Instant.ofEpochMilli(all.figures().firstMs()) + " to " + Instant.ofEpochMilli(all.figures().lastMs())
        + (all.figures().abandoned() > 0
            ? "; " + Fmt.count(all.figures().abandoned()) + " left out (499: the client left before its answer)" : "")
        + (all.figures().tunnels() > 0
            ? "; " + Fmt.count(all.figures().tunnels()) + " tunnels left out (101: WebSockets, total_ms is their lifetime)"
            : ""));
    List<LogSegments.Segment> segments = log.segments();
    for (LogSegments.Segment s : segments) {
      out.println();
      out.println("policy " + orUnknown(s.policy()) + ", connection " + orUnknown(s.connection()));
      figures(out, s, from, to);
    }
    if (segments.size() > 1) {
      out.println();
      out.println("all segments together");
      figures(out, all, from, to);
    }
  }

  private static void figures(PrintStream out, LogSegments.Segment s, long from, long to) {
    LogFigures f = s.figures();
    // The window a rate divides by: the one asked for where it bounds the segment, else the rows' own span.
    long start = from == Long.MIN_VALUE ? f.firstMs() : from;
    long end = to == Long.MAX_VALUE ? f.lastMs() : to;
    LatencySummary l = f.totalLatency();
    out.println("  requests/s    " + Fmt.rps1(LogSegments.perSecond(f.rows(), start, end)) + "  (" + Fmt.count(f.rows())
        + " requests over " + Fmt.seconds((end - start) / 1000.0) + " s, " + Fmt.count(f.notOk()) + " not 2xx)");
    out.println("  latency (ms)  mean " + Fmt.ms(l.mean()) + "  p50 " + Fmt.ms(l.p50()) + "  p95 " + Fmt.ms(l.p95())
        + "  p99 " + Fmt.ms(l.p99()) + "  (total_ms: arrival at the proxy to the last byte sent)");
    Map<String, Double> shares = Shares.of(f.perBackend());
    List<String> each = shares.entrySet().stream().map(e -> e.getKey() + " " + Fmt.share1(e.getValue()) + " ("
        + Fmt.count(f.perBackend().get(e.getKey())) + ")").toList();
    out.println("  backends      " + String.join("  ", each));
  }

  private static String orUnknown(String s) {
    return s.isEmpty() ? "(not in the log)" : s;
  }

  private static String value(List<String> args, int i, String option) {
    if (i >= args.size()) {
      throw new IllegalArgumentException(option + " needs a time");
    }
    return args.get(i);
  }

  static long time(String option, String value) {
    if (value.matches("\\d+")) {
      return Long.parseLong(value);
    }
    try {
      return Instant.parse(value).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(option + ": not epoch ms nor an ISO-8601 instant: " + value);
    }
  }
}
