package io.adaptivelb.backend;

import io.adaptivelb.config.LatencySpec;

import java.util.random.RandomGenerator;

/** Draws service times, in milliseconds, never negative. */
@FunctionalInterface
public interface LatencyDistribution {

  double sampleMs(RandomGenerator random);

  static LatencyDistribution of(LatencySpec spec) {
    return switch (spec.dist()) {
      case CONSTANT -> r -> spec.ms();
      case UNIFORM -> r -> spec.maxMs() > spec.minMs() ? r.nextDouble(spec.minMs(), spec.maxMs()) : spec.minMs();
      // Truncated at zero: a real server never answers before it was asked.
      case NORMAL -> r -> Math.max(0, spec.ms() + spec.stddevMs() * r.nextGaussian());
      // ms is the median; sigma the spread of log(latency): a long right tail like real services.
      case LOGNORMAL -> r -> spec.ms() * Math.exp(spec.sigma() * r.nextGaussian());
      case EXPONENTIAL -> r -> spec.ms() * r.nextExponential();
    };
  }
}
