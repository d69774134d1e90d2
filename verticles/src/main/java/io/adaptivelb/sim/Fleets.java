package io.adaptivelb.sim;

import io.adaptivelb.config.BackendConfig;
import io.adaptivelb.config.ConfigException;
import io.adaptivelb.config.LabConfig;
import io.adaptivelb.config.LatencySpec;
import io.adaptivelb.config.PhaseConfig;
import io.adaptivelb.config.ConfigSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Where a simulated fleet comes from: a lab config (the scenario files, read with the lab's own
 * reader), or a generator drawing many backends from a mix of profiles.
 */
public final class Fleets {

  /**
   * Named mixes for large fleets, every backend capacity-bound so that a load can be given as a share
   * of what the fleet serves. {@code uniform}: identical backends; {@code capacity}: speeds 5-50 ms and
   * capacities 1-16 drawn independently; {@code mixed}: half fast and small (5-20 ms, 2-8), half slow and
   * large (40-120 ms, 16-64), where greedy routing queues at the fast ones; {@code degrading}: mixed, and
   * a tenth of the backends become five times slower at a random time, half of them recovering later.
   * {@code pure}: unbounded backends of spread-out speeds (closed loop only).
   */
  public static final List<String> MIXES = List.of("uniform", "capacity", "mixed", "degrading", "pure");

  private Fleets() {
  }

  /** The backends of a lab config file (its {@code backends} section). */
  public static List<BackendConfig> fromLabConfig(String file) {
    LabConfig config = LabConfig.parse(ConfigSource.read(file));
    if (config.backends().isEmpty()) {
      throw new ConfigException("backends", "the simulator needs at least one backend in " + file);
    }
    return config.backends();
  }

  /** {@code count} backends drawn from the named mix; phases (if any) fall within {@code horizonSec}. */
  public static List<BackendConfig> generate(String mix, int count, double horizonSec, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<BackendConfig> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String name = "b" + (i + 1);
      out.add(switch (mix) {
        case "uniform" -> backend(name, lognormal(20, 0.25), 8, 0, List.of());
        case "capacity" -> backend(name, lognormal(5 + r.nextDouble() * 45, 0.25), 1 + r.nextInt(16), 0, List.of());
        case "mixed" -> mixed(name, r);
        case "degrading" -> degrading(name, r, horizonSec);
        case "pure" -> backend(name, lognormal(5 + r.nextDouble() * 95, 0.25), 0, 0, List.of());
        default -> throw new ConfigException("--fleet", "unknown mix \"" + mix + "\" (expected one of " + String.join(", ", MIXES) + ")");
      });
    }
    return out;
  }

  private static BackendConfig mixed(String name, SplittableRandom r) {
    return r.nextDouble() < 0.5
      ? backend(name, lognormal(5 + r.nextDouble() * 15, 0.25), 2 + r.nextInt(7), 0, List.of())
      : backend(name, lognormal(40 + r.nextDouble() * 80, 0.25), 16 + r.nextInt(49), 0, List.of());
  }

  private static BackendConfig degrading(String name, SplittableRandom r, double horizonSec) {
    BackendConfig base = mixed(name, r);
    if (r.nextDouble() >= 0.1) {
      return base;
    }
    double at = horizonSec * (0.1 + 0.6 * r.nextDouble());
    LatencySpec slow = lognormal(base.latency().ms() * 5, 0.25);
    List<PhaseConfig> phases = new ArrayList<>(List.of(new PhaseConfig(at, slow, null, null)));
    if (r.nextBoolean()) {
      phases.add(new PhaseConfig(at + horizonSec * 0.2, base.latency(), null, null));
    }
    return backend(name, base.latency(), base.capacity(), 0, phases);
  }

  public static LatencySpec lognormal(double medianMs, double sigma) {
    return new LatencySpec(LatencySpec.Dist.LOGNORMAL, medianMs, 0, 0, 0, sigma);
  }

  public static LatencySpec constant(double ms) {
    return LatencySpec.constant(ms);
  }

  public static BackendConfig backend(String name, LatencySpec latency, int capacity, double errorRate,
                                      List<PhaseConfig> phases) {
    return new BackendConfig(name, "127.0.0.1", 0, latency, capacity, errorRate, 64, List.copyOf(phases), "127.0.0.1");
  }

}
