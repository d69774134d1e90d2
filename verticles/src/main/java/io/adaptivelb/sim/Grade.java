package io.adaptivelb.sim;

import io.adaptivelb.policy.SharedParams;
import io.adaptivelb.report.Optimum;
import io.adaptivelb.report.Scenario;

/**
 * A run as a share of the best possible: closed loop, successful answers per second over the optimum's,
 * a failure costing its client {@link #FAILURE_MS} at least on both sides; open loop, the least mean latency over the run's (failures costing {@link #FAILURE_MS}). 1 is the
 * optimum; open loop can exceed it a little, since the optimum there is the best fixed split and a
 * policy that looks at queues can beat any fixed split.
 */
public record Grade(double optimum, double achieved, double share, String unit) {

  /** What a failed answer costs in the open-loop grade: the policies' own default penalty. */
  public static final double FAILURE_MS = SharedParams.FAILURE_PENALTY_MS.defaultValue();

  public static Grade of(Result r) {
    Scenario scenario = Scenario.of(r.setup().backends());
    double from = r.startSec();
    double to = from + r.windowSec();
    if (r.setup().closedLoop()) {
      double best = Optimum.meanRate(scenario, r.setup().clients(), FAILURE_MS, from, to);
      double good = penalisedGoodRps(r);
      return new Grade(best, good, Double.isFinite(best) && best > 0 ? good / best : Double.NaN, "req/s");
    }
    double best = Optimum.meanLeastLatencyMs(scenario, r.setup().ratePerSec(), FAILURE_MS, from, to);
    return new Grade(best, r.costMs(), Double.isFinite(best) && r.costMs() > 0 ? best / r.costMs() : Double.NaN, "ms");
  }

  /**
   * Closed loop: successful answers per second of the clients' time, each failure charged
   * {@link #FAILURE_MS} at least, as the optimum charges it. The simulated clients send again at once
   * after a failure (as wrk does); the time a failure would have cost them beyond its latency is added
   * to the window they had, so a policy gains nothing from a backend that fails fast.
   */
  static double penalisedGoodRps(Result r) {
    double extraMs = (r.costMs() - r.meanMs()) * r.requests();
    double clientMs = r.setup().clients() * r.windowSec() * 1000;
    return extraMs > 0 ? r.goodRps() * clientMs / (clientMs + extraMs) : r.goodRps();
  }
}
