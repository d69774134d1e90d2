package io.adaptivelb.policy;

import io.adaptivelb.common.Clock;
import io.adaptivelb.config.PolicyConfig;

import java.util.random.RandomGenerator;

/** Builds the policy a config names. Clock and random source are passed in so tests can fix them. */
public final class Policies {

  private Policies() {
  }

  public static RoutingPolicy create(PolicyConfig c, int size, Clock clock, RandomGenerator random) {
    Remedies remedies = new Remedies(c.explore(), c.forgetAfterMs(), c.tryUnsampled());
    return switch (c.type()) {
      case PolicyConfig.ROUND_ROBIN -> new RoundRobinPolicy(size);
      case PolicyConfig.SMA -> new SmaPolicy(size, c.window(), c.failurePenaltyMs(), remedies, clock, random);
      case PolicyConfig.EWMA -> new EwmaPolicy(size, c.alpha(), c.failurePenaltyMs(), remedies, clock, random);
      case PolicyConfig.LEAST_REQUEST -> new LeastRequestPolicy(size, random);
      case PolicyConfig.LEAST_LATENCY -> new LeastLatencyPolicy(size, c.alpha(), c.tauMs(), c.defaultRttMs(), c.failurePenaltyMs(), clock);
      case PolicyConfig.P2C_PEAK_EWMA -> new PeakEwmaPolicy(size, c.tauMs(), c.defaultRttMs(), c.failurePenaltyMs(),
        PolicyConfig.WEIGHTED.equals(c.sampling()), clock, random);
      default -> throw new IllegalArgumentException("unknown policy " + c.type());
    };
  }
}
