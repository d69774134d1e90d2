package io.adaptivelb.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The best any policy could do, computed from the backends' profiles.
 *
 * <p>Closed loop ({@link #rate}): {@code connections} clients (wrk's connections), each sending its next
 * request when the last one is answered. A connection parked on a backend yields 1 / service time
 * answers per second as long as the backend serves it at once (up to its capacity); past capacity it
 * only queues and adds nothing. So the best allocation fills the backend with the most successful
 * answers per second per connection up to its capacity, then the next, and so on. Pure delay
 * (unbounded capacity) gives all connections to the fastest backend: connections / its mean; with
 * capacities that are all used it is the sum of capacity / mean service time. Failed answers do not
 * count, and a failure holds its connection for at least {@code failureMs} (the policies' failure
 * penalty): a backend that fails fast is no bargain, yet one that fails now and then still beats
 * queueing behind a full backend, where a connection adds nothing. Proxy and network costs are
 * ignored: the result is an upper bound. By Little's law the mean latency of that allocation is
 * connections / rate.
 *
 * <p>Open loop ({@link #leastMeanLatencyMs}): Poisson arrivals at a given rate, split among the
 * backends in fixed proportions; each backend an M/G/c queue (c = capacity) whose mean wait follows
 * the Allen–Cunneen approximation, Erlang C times (1 + scv) / 2. The split that minimises the mean
 * latency equalises the marginal cost d(rate_i * latency_i) / d rate_i over the backends in use (the
 * system optimum, not the selfish equilibrium where every request goes where it finishes soonest).
 * A failed answer costs {@code failureMs}.
 */
public final class Optimum {

  private Optimum() {
  }

  /** Successful answers per second at one instant, a failure costing only its time; see {@link #rate(List, int, double)}. */
  public static double rate(List<Scenario.Profile> backends, int connections) {
    return rate(backends, connections, 0);
  }

  /**
   * Successful answers per second at one instant, each failure holding its connection for at least
   * {@code failureMs}; infinite when a backend answering in 0 ms gets a connection.
   */
  public static double rate(List<Scenario.Profile> backends, int connections, double failureMs) {
    List<Scenario.Profile> byYield = new ArrayList<>(backends);
    byYield.sort(Comparator.comparingDouble((Scenario.Profile p) -> msPerGoodAnswer(p, failureMs)));
    int left = connections;
    double rate = 0;
    for (Scenario.Profile p : byYield) {
      if (left <= 0) {
        break;
      }
      int n = p.capacity() <= 0 ? left : Math.min(p.capacity(), left);
      double ms = msPerGoodAnswer(p, failureMs);
      rate += ms <= 0 ? Double.POSITIVE_INFINITY : n * 1000.0 / ms;
      left -= n;
    }
    return rate;
  }

  /** How long a connection parked on {@code p} takes per successful answer, failures held for {@code failureMs}. */
  private static double msPerGoodAnswer(Scenario.Profile p, double failureMs) {
    if (p.errorRate() >= 1) {
      return Double.POSITIVE_INFINITY;
    }
    double cycle = (1 - p.errorRate()) * p.meanMs() + p.errorRate() * Math.max(p.meanMs(), failureMs);
    return cycle / (1 - p.errorRate());
  }

  /** Mean latency of the best closed-loop allocation (Little's law), in ms. */
  public static double closedLoopLatencyMs(List<Scenario.Profile> backends, int connections) {
    return connections / rate(backends, connections) * 1000;
  }

  /**
   * The mean best rate over the window [fromSec, toSec] (seconds after the backends started), the
   * rate of each phase weighted by how long it lasted inside the window.
   */
  public static double meanRate(Scenario scenario, int connections, double fromSec, double toSec) {
    return meanRate(scenario, connections, 0, fromSec, toSec);
  }

  /** {@link #meanRate(Scenario, int, double, double)} with each failure holding its connection for at least {@code failureMs}. */
  public static double meanRate(Scenario scenario, int connections, double failureMs, double fromSec, double toSec) {
    return overPhases(scenario, fromSec, toSec, now -> rate(now, connections, failureMs));
  }

  /** The least mean latency over the window, each phase weighted by its length; infinite if some phase is overloaded. */
  public static double meanLeastLatencyMs(Scenario scenario, double ratePerSec, double failureMs, double fromSec,
                                          double toSec) {
    return overPhases(scenario, fromSec, toSec, now -> leastMeanLatencyMs(now, ratePerSec, failureMs));
  }

  private static double overPhases(Scenario scenario, double fromSec, double toSec,
                                   java.util.function.ToDoubleFunction<List<Scenario.Profile>> figure) {
    if (toSec <= fromSec) {
      throw new IllegalArgumentException("empty window " + fromSec + ".." + toSec);
    }
    List<Double> cuts = new ArrayList<>();
    cuts.add(fromSec);
    for (double t : scenario.changeTimes()) {
      if (t > fromSec && t < toSec) {
        cuts.add(t);
      }
    }
    cuts.add(toSec);
    double total = 0;
    for (int i = 0; i + 1 < cuts.size(); i++) {
      double start = cuts.get(i);
      double len = cuts.get(i + 1) - start;
      List<Scenario.Profile> now = scenario.backends().stream().map(b -> b.at(start)).toList();
      total += figure.applyAsDouble(now) * len;
    }
    return total / (toSec - fromSec);
  }

  /** The least mean latency (ms) any fixed split of Poisson arrivals at {@code ratePerSec} reaches; infinite when overloaded. */
  public static double leastMeanLatencyMs(List<Scenario.Profile> backends, double ratePerSec, double failureMs) {
    double[] split = openLoopSplit(backends, ratePerSec, failureMs);
    if (split == null) {
      return Double.POSITIVE_INFINITY;
    }
    double cost = 0;
    for (int i = 0; i < split.length; i++) {
      cost += split[i] * costMs(backends.get(i), split[i], failureMs);
    }
    return cost / ratePerSec;
  }

  /** Requests per second to each backend in the least-latency fixed split, or null when the rate exceeds every capacity. */
  public static double[] openLoopSplit(List<Scenario.Profile> backends, double ratePerSec, double failureMs) {
    int n = backends.size();
    double cheapestUnbounded = Double.POSITIVE_INFINITY;
    int unbounded = -1;
    double bounded = 0;
    for (int i = 0; i < n; i++) {
      Scenario.Profile p = backends.get(i);
      if (p.capacity() <= 0) {
        double c = costMs(p, 0, failureMs);
        if (c < cheapestUnbounded) {
          cheapestUnbounded = c;
          unbounded = i;
        }
      } else {
        bounded += maxRate(p);
      }
    }
    if (unbounded < 0 && ratePerSec >= bounded) {
      return null;
    }
    // Bisection on the common marginal cost mu: each bounded backend takes the rate at which its own
    // marginal cost reaches mu; an unbounded one costs the same at any rate, so the cheapest takes the rest.
    double hi = 1;
    while (sumAt(backends, hi, failureMs) < ratePerSec && hi < cheapestUnbounded) {
      hi *= 2;
    }
    double mu = Bisection.of(0, Math.min(hi, cheapestUnbounded), 200, m -> sumAt(backends, m, failureMs) < ratePerSec).hi();
    double[] split = new double[n];
    double taken = 0;
    for (int i = 0; i < n; i++) {
      if (backends.get(i).capacity() > 0) {
        split[i] = rateAtMarginal(backends.get(i), mu, failureMs);
        taken += split[i];
      }
    }
    if (taken > ratePerSec) { // the bisection's last step overshoots by a hair: scale back
      for (int i = 0; i < n; i++) {
        split[i] *= ratePerSec / taken;
      }
    } else if (unbounded >= 0) {
      split[unbounded] += ratePerSec - taken;
    }
    return split;
  }

  private static double sumAt(List<Scenario.Profile> backends, double mu, double failureMs) {
    double sum = 0;
    for (Scenario.Profile p : backends) {
      if (p.capacity() > 0) {
        sum += rateAtMarginal(p, mu, failureMs);
      }
    }
    return sum;
  }

  /** The rate at which a bounded backend's marginal cost reaches {@code mu} (its marginal cost rises with rate). */
  private static double rateAtMarginal(Scenario.Profile p, double mu, double failureMs) {
    double max = maxRate(p);
    if (!(max > 0) || marginalMs(p, 0, failureMs) >= mu) {
      return 0;
    }
    return Bisection.of(0, max, 100, rate -> marginalMs(p, rate, failureMs) < mu).lo();
  }

  private static double maxRate(Scenario.Profile p) {
    return p.meanMs() <= 0 ? Double.POSITIVE_INFINITY : p.capacity() * 1000.0 / p.meanMs();
  }

  private static double marginalMs(Scenario.Profile p, double rate, double failureMs) {
    double h = Math.max(1e-6, maxRate(p) * 1e-6);
    double hi = Math.min(rate + h, maxRate(p) * (1 - 1e-12));
    double lo = Math.max(0, hi - h);
    return ((hi * costMs(p, hi, failureMs)) - (lo * costMs(p, lo, failureMs))) / (hi - lo);
  }

  /** Mean cost (ms) of one request to {@code p} when it receives {@code ratePerSec}: wait + service, or the failure cost. */
  static double costMs(Scenario.Profile p, double ratePerSec, double failureMs) {
    double latency = p.meanMs() + waitMs(p, ratePerSec);
    return (1 - p.errorRate()) * latency + p.errorRate() * Math.max(latency, failureMs);
  }

  /** Mean wait in the queue of an M/G/c server (Allen–Cunneen); 0 for unbounded capacity. */
  static double waitMs(Scenario.Profile p, double ratePerSec) {
    int c = p.capacity();
    if (c <= 0 || ratePerSec <= 0 || p.meanMs() <= 0) {
      return 0;
    }
    double a = ratePerSec * p.meanMs() / 1000; // offered load in servers
    if (a >= c) {
      return Double.POSITIVE_INFINITY;
    }
    double erlangB = 1;
    for (int k = 1; k <= c; k++) {
      erlangB = a * erlangB / (k + a * erlangB);
    }
    double erlangC = c * erlangB / (c - a * (1 - erlangB));
    return erlangC * p.meanMs() / (c - a) * (1 + p.scv()) / 2;
  }
}
