package io.adaptivelb.health;

import io.adaptivelb.common.Clock;
import io.adaptivelb.config.HealthConfig;


import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Outlier ejection from live traffic (Envoy's consecutive-5xx detector): after
 * {@code consecutiveFailures} failures in a row a backend is ejected for {@code baseEjectionMs ×
 * times ejected}, capped at {@code maxEjectionMs}; never more than {@code maxEjectedPercent} of the
 * backends at once (but always at least one may go). When it returns it ramps up over
 * {@code slowStartMs}: {@link #weight(int)} grows linearly from 10% to 100%. Until it answers a request
 * again it is {@link #onProbation on probation}: its ejection ended because time passed, not because it
 * was seen to recover. Plain Java; owned by one event loop.
 */
public final class PassiveHealth {

  private static final double SLOW_START_FLOOR = 0.1;

  private final HealthConfig.Passive settings;
  private final Clock clock;
  private int[] consecutive;
  private int[] ejections;
  private long[] ejectedUntil;
  private long[] returnedAt;
  private boolean[] probation;

  public PassiveHealth(HealthConfig.Passive settings, Clock clock, int size) {
    this.settings = settings;
    this.clock = clock;
    this.consecutive = new int[size];
    this.ejections = new int[size];
    this.ejectedUntil = new long[size];
    this.returnedAt = new long[size];
    this.probation = new boolean[size];
  }

  public void grow(int size) {
    if (size > consecutive.length) {
      consecutive = Arrays.copyOf(consecutive, size);
      ejections = Arrays.copyOf(ejections, size);
      ejectedUntil = Arrays.copyOf(ejectedUntil, size);
      returnedAt = Arrays.copyOf(returnedAt, size);
      probation = Arrays.copyOf(probation, size);
    }
  }

  public void success(int backend) {
    consecutive[backend] = 0;
    probation[backend] = false;
  }

  /**
   * @param liveBackends backends currently in rotation (not removed), for the ejection cap
   * @return true when this failure ejected the backend
   */
  public boolean failure(int backend, int liveBackends) {
    consecutive[backend]++;
    if (settings.consecutiveFailures() <= 0 || consecutive[backend] < settings.consecutiveFailures() || ejected(backend)) {
      return false;
    }
    int ejectedNow = 0;
    for (int i = 0; i < ejectedUntil.length; i++) {
      if (ejected(i)) {
        ejectedNow++;
      }
    }
    int cap = Math.max(1, liveBackends * settings.maxEjectedPercent() / 100);
    if (ejectedNow >= cap) {
      return false;
    }
    ejections[backend]++;
    long duration = Math.min(settings.maxEjectionMs(), settings.baseEjectionMs() * ejections[backend]);
    long now = clock.nanoTime();
    ejectedUntil[backend] = now + duration * 1_000_000;
    returnedAt[backend] = ejectedUntil[backend];
    consecutive[backend] = 0;
    probation[backend] = true;
    return true;
  }

  public boolean ejected(int backend) {
    return ejectedUntil[backend] != 0 && clock.nanoTime() - ejectedUntil[backend] < 0;
  }

  /** Back from an ejection and not seen to answer since: as likely down as when it was ejected. */
  public boolean onProbation(int backend) {
    return probation[backend] && !ejected(backend);
  }

  /** Share of its normal traffic a backend should get: below 1 only while it ramps up after an ejection. */
  public double weight(int backend) {
    if (settings.slowStartMs() <= 0 || returnedAt[backend] == 0) {
      return 1;
    }
    double elapsedMs = (clock.nanoTime() - returnedAt[backend]) / 1e6;
    if (elapsedMs < 0) {
      return 0; // still ejected
    }
    if (elapsedMs >= settings.slowStartMs()) {
      returnedAt[backend] = 0;
      return 1;
    }
    return SLOW_START_FLOOR + (1 - SLOW_START_FLOOR) * elapsedMs / settings.slowStartMs();
  }

  public Map<String, Object> describe(int backend) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("consecutiveFailures", consecutive[backend]);
    row.put("ejections", ejections[backend]);
    long remaining = ejected(backend) ? (ejectedUntil[backend] - clock.nanoTime()) / 1_000_000 : 0;
    row.put("ejectedForMs", remaining);
    row.put("probation", onProbation(backend));
    row.put("weight", Math.round(weight(backend) * 1000) / 1000.0);
    return row;
  }
}
