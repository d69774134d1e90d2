package io.adaptivelb.sim;

import io.adaptivelb.config.BackendConfig;
import io.adaptivelb.config.LatencySpec;
import io.adaptivelb.config.PhaseConfig;
import io.adaptivelb.policy.SharedParams;
import io.adaptivelb.report.Optimum;
import io.adaptivelb.report.Scenario;
import io.adaptivelb.report.ServiceTime;

import java.util.ArrayList;
import java.util.List;

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
    Scenario scenario = scenario(r.setup().backends());
    double from = r.startSec();
    double to = from + r.windowSec();
    if (r.setup().closedLoop()) {
      double best = Optimum.meanRate(scenario, r.setup().clients(), from, to);
      return new Grade(best, r.goodRps(), Double.isFinite(best) && best > 0 ? r.goodRps() / best : Double.NaN, "req/s");
    }
    double best = Optimum.meanLeastLatencyMs(scenario, r.setup().ratePerSec(), FAILURE_MS, from, to);
    return new Grade(best, r.costMs(), Double.isFinite(best) && r.costMs() > 0 ? best / r.costMs() : Double.NaN, "ms");
  }

  /** The fleet as the optimum sees it, from the very config records the simulation runs. */
  public static Scenario scenario(List<BackendConfig> backends) {
    List<Scenario.Backend> out = new ArrayList<>();
    for (BackendConfig b : backends) {
      List<Scenario.Profile> profiles = new ArrayList<>();
      Scenario.Profile p = profile(0, b.latency(), b.capacity(), b.errorRate());
      profiles.add(p);
      for (PhaseConfig ph : b.phases()) {
        p = ph.latency() != null ? profile(ph.atSec(), ph.latency(), 0, 0) : new Scenario.Profile(ph.atSec(), p.meanMs(), 0, 0, p.scv());
        p = new Scenario.Profile(ph.atSec(), p.meanMs(), ph.capacity() != null ? ph.capacity() : profiles.get(profiles.size() - 1).capacity(),
          ph.errorRate() != null ? ph.errorRate() : profiles.get(profiles.size() - 1).errorRate(), p.scv());
        profiles.add(p);
      }
      out.add(new Scenario.Backend(b.name(), List.copyOf(profiles)));
    }
    return new Scenario(List.copyOf(out));
  }

  private static Scenario.Profile profile(double atSec, LatencySpec latency, int capacity, double errorRate) {
    return new Scenario.Profile(atSec, ServiceTime.meanMs(latency.toJson()), capacity, errorRate,
      ServiceTime.scv(latency.toJson()));
  }
}
