package io.adaptivelb.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The best throughput any policy could reach with a closed loop of {@code connections} clients (wrk's
 * connections, each sending its next request when the last one is answered).
 *
 * <p>A connection parked on a backend yields 1 / service time requests per second as long as the
 * backend serves it at once (up to its capacity); past capacity it only queues and adds nothing. So the
 * best allocation fills the fastest backend up to its capacity, then the next fastest, and so on. Pure
 * delay (unbounded capacity) gives all connections to the fastest backend: connections / its mean; with
 * capacities that are all used it is the sum of capacity / mean service time. Proxy and network costs
 * are ignored: the result is an upper bound.
 */
public final class Optimum {

  private Optimum() {
  }

  /** Requests per second at one instant; infinite when a backend answering in 0 ms gets a connection. */
  public static double rate(List<Scenario.Profile> backends, int connections) {
    List<Scenario.Profile> byMean = new ArrayList<>(backends);
    byMean.sort(Comparator.comparingDouble(Scenario.Profile::meanMs));
    int left = connections;
    double rate = 0;
    for (Scenario.Profile p : byMean) {
      if (left <= 0) {
        break;
      }
      int n = p.capacity() <= 0 ? left : Math.min(p.capacity(), left);
      rate += p.meanMs() <= 0 ? Double.POSITIVE_INFINITY : n / (p.meanMs() / 1000.0);
      left -= n;
    }
    return rate;
  }

  /**
   * The mean best rate over the window [fromSec, toSec] (seconds after the backends started), the
   * rate of each phase weighted by how long it lasted inside the window.
   */
  public static double meanRate(Scenario scenario, int connections, double fromSec, double toSec) {
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
    double requests = 0;
    for (int i = 0; i + 1 < cuts.size(); i++) {
      double start = cuts.get(i);
      double len = cuts.get(i + 1) - start;
      List<Scenario.Profile> now = scenario.backends().stream().map(b -> b.at(start)).toList();
      requests += rate(now, connections) * len;
    }
    return requests / (toSec - fromSec);
  }
}
