package io.adaptivelb.sim;

import io.adaptivelb.policy.SharedParams;
import io.adaptivelb.report.Optimum;
import io.adaptivelb.report.Scenario;

/**
 * A run as a share of the best possible: closed loop, successful answers per second over the optimum's;
 * open loop, the least mean latency over the run's (failures costing {@link #FAILURE_MS}). 1 is the
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
      double best = Optimum.meanRate(scenario, r.setup().clients(), from, to);
      return new Grade(best, r.goodRps(), Double.isFinite(best) && best > 0 ? r.goodRps() / best : Double.NaN, "req/s");
    }
    double best = Optimum.meanLeastLatencyMs(scenario, r.setup().ratePerSec(), FAILURE_MS, from, to);
    return new Grade(best, r.costMs(), Double.isFinite(best) && r.costMs() > 0 ? best / r.costMs() : Double.NaN, "ms");
  }
}
