package io.adaptivelb.report;

import java.util.LinkedHashMap;
import java.util.Map;

/** Per-backend shares of the requests: count / total, in the order the counts were given. */
public final class Shares {

  private Shares() {
  }

  /** Every share is 0 when nothing was counted, so an idle run reads as "no traffic", not as NaN. */
  public static Map<String, Double> of(Map<String, Long> counts) {
    long total = 0;
    for (long c : counts.values()) {
      if (c < 0) {
        throw new IllegalArgumentException("negative count: " + counts);
      }
      total += c;
    }
    Map<String, Double> shares = new LinkedHashMap<>();
    for (Map.Entry<String, Long> e : counts.entrySet()) {
      shares.put(e.getKey(), total == 0 ? 0.0 : (double) e.getValue() / total);
    }
    return shares;
  }
}
