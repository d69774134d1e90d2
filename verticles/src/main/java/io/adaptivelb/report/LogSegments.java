package io.adaptivelb.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A proxy log's figures per configuration segment (the {@code policy} and {@code connection} a row was
 * served with: a log spans several when the policy was switched at run time or labs appended to one
 * file) and over all rows. The harness's proxy-side columns and {@code analyze} both come from here.
 */
public final class LogSegments implements Consumer<ProxyLog.Row> {

  /** One configuration's rows and their figures. */
  public record Segment(String policy, String connection, LogFigures figures) {

    Segment(String policy, String connection) {
      this(policy, connection, new LogFigures());
    }
  }

  private final Segment all = new Segment("", "");
  private final Map<String, Segment> segments = new LinkedHashMap<>();

  @Override
  public void accept(ProxyLog.Row row) {
    all.figures().accept(row);
    segments.computeIfAbsent(row.policy() + "\u0000" + row.connection(), k -> new Segment(row.policy(), row.connection()))
        .figures().accept(row);
  }

  /** Every row of the window, whatever configuration served it. */
  public Segment all() {
    return all;
  }

  /** The configurations in the order they first appear in the log. */
  public List<Segment> segments() {
    return List.copyOf(segments.values());
  }

  /**
   * Requests per second: answered requests (the 499s of clients that left are in no figure) over a
   * window in ms. The harness passes wrk's window, {@code analyze} the --from/--to window or, without
   * one, the span from the first to the last row.
   */
  public static double perSecond(long requests, long fromMs, long toMs) {
    return toMs > fromMs ? requests * 1000.0 / (toMs - fromMs) : Double.NaN;
  }
}
