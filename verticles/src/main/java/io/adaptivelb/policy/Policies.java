package io.adaptivelb.policy;

import io.adaptivelb.config.PolicyConfig;

import java.util.List;
import java.util.random.RandomGenerator;

/** Builds the policy a config names. Clock and random source are passed in so tests can fix them. */
public final class Policies {

  private Policies() {
  }

  public static RoutingPolicy create(PolicyConfig config, List<String> backends, Clock clock, RandomGenerator random) {
    return switch (config.type()) {
      case PolicyConfig.ROUND_ROBIN -> new RoundRobinPolicy(backends);
      case PolicyConfig.SMA -> new SmaPolicy(backends, config.window(), config.failurePenaltyMs());
      case PolicyConfig.EWMA -> new EwmaPolicy(backends, config.alpha(), config.failurePenaltyMs());
      default -> throw new IllegalArgumentException("unknown policy " + config.type());
    };
  }
}
