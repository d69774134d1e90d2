package io.adaptivelb.report;

import io.adaptivelb.config.BackendConfig;
import io.adaptivelb.config.ConfigSource;
import io.adaptivelb.config.LabConfig;
import io.adaptivelb.config.PhaseConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The simulated backends of a lab config as the report needs them: what each one does at a given
 * second after it started, phases applied, so the optimum can follow a scenario that changes mid-run.
 * Read with the lab's own config reader, so the report sees exactly what the backends ran.
 */
public record Scenario(List<Backend> backends) {

  /**
   * A backend's behaviour from {@code atSec} on; capacity 0 means unbounded, as in the lab.
   *
   * @param scv squared coefficient of variation of the service time (0 constant, 1 exponential): how
   *            much a queue in front of it waits on average
   */
  public record Profile(double atSec, double meanMs, int capacity, double errorRate, double scv) {

    /** A profile of exponential service times (the queueing-neutral assumption). */
    public Profile(double atSec, double meanMs, int capacity, double errorRate) {
      this(atSec, meanMs, capacity, errorRate, 1);
    }
  }

  public record Backend(String name, List<Profile> profiles) {

    /** The profile in force {@code sec} seconds after the backend started. */
    public Profile at(double sec) {
      Profile current = profiles.get(0);
      for (Profile p : profiles) {
        if (p.atSec() <= sec) {
          current = p;
        }
      }
      return current;
    }
  }

  /** @throws io.adaptivelb.config.ConfigException naming the key when the file is not a valid lab config */
  public static Scenario read(Path labConfig) {
    return of(LabConfig.parse(ConfigSource.read(labConfig.toString())));
  }

  public static Scenario of(LabConfig config) {
    return of(config.backends());
  }

  /** The backends as the optimum sees them (the simulator grades its runs from the records it ran). */
  public static Scenario of(List<BackendConfig> configs) {
    List<Backend> backends = new ArrayList<>();
    for (BackendConfig b : configs) {
      List<Profile> profiles = new ArrayList<>();
      Profile p = new Profile(0, b.latency().meanMs(), b.capacity(), b.errorRate(), b.latency().scv());
      profiles.add(p);
      List<PhaseConfig> phases = new ArrayList<>(b.phases());
      phases.sort(Comparator.comparingDouble(PhaseConfig::atSec));
      for (PhaseConfig ph : phases) {
        // Absent fields keep their value, as the lab does.
        p = new Profile(ph.atSec(), ph.latency() != null ? ph.latency().meanMs() : p.meanMs(),
            ph.capacity() != null ? ph.capacity() : p.capacity(), ph.errorRate() != null ? ph.errorRate() : p.errorRate(),
            ph.latency() != null ? ph.latency().scv() : p.scv());
        profiles.add(p);
      }
      backends.add(new Backend(b.name(), List.copyOf(profiles)));
    }
    return new Scenario(List.copyOf(backends));
  }

  /** Seconds (after start) at which some backend changes, in order, without duplicates. */
  public List<Double> changeTimes() {
    return backends.stream().flatMap(b -> b.profiles().stream()).map(Profile::atSec).filter(t -> t > 0)
        .distinct().sorted().toList();
  }

  public boolean anyErrors() {
    return backends.stream().flatMap(b -> b.profiles().stream()).anyMatch(p -> p.errorRate() > 0);
  }
}
