package io.adaptivelb.policy;

import java.util.function.IntToDoubleFunction;
import java.util.random.RandomGenerator;

/**
 * Power of two choices: draw two distinct eligible backends at random and keep the cheaper. Almost
 * as good as asking every backend, without the herd that "always the cheapest" creates when many
 * requests choose on the same stale information. Drawn uniformly, the slowest pair of three backends
 * is drawn a third of the time, so the best backend can never get more than 2/3 of the traffic; drawn
 * in proportion to a weight (what the backend is believed to serve), that cap goes away.
 */
final class TwoChoices {

  private TwoChoices() {
  }

  /** -1 when nothing is eligible; ties go to the first drawn. */
  static int pick(Eligibility eligible, RandomGenerator random, IntToDoubleFunction cost) {
    int n = eligible.size();
    int count = 0;
    for (int i = 0; i < n; i++) {
      if (eligible.test(i)) {
        count++;
      }
    }
    if (count <= 1) {
      return LowestScore.random(eligible, random);
    }
    int first = random.nextInt(count);
    int second = random.nextInt(count - 1);
    if (second >= first) {
      second++; // distinct from first, still uniform
    }
    int a = nth(eligible, first);
    int b = nth(eligible, second);
    return cost.applyAsDouble(b) < cost.applyAsDouble(a) ? b : a;
  }

  /**
   * As {@link #pick}, with each of the two drawn in proportion to {@code weights[i]} (0 = not
   * eligible), the second among those left. Uniform when no weight is positive and finite.
   */
  static int pickWeighted(Eligibility eligible, double[] weights, RandomGenerator random, IntToDoubleFunction cost) {
    double total = 0;
    int count = 0;
    for (int i = 0; i < weights.length; i++) {
      if (weights[i] > 0) {
        total += weights[i];
        count++;
      }
    }
    if (count <= 1 || !Double.isFinite(total)) {
      return count == 1 ? draw(weights, random.nextDouble() * total, -1) : pick(eligible, random, cost);
    }
    int a = draw(weights, random.nextDouble() * total, -1);
    int b = draw(weights, random.nextDouble() * (total - weights[a]), a);
    return cost.applyAsDouble(b) < cost.applyAsDouble(a) ? b : a;
  }

  /** The backend whose cumulative weight first exceeds {@code x}, skipping {@code skip}. */
  private static int draw(double[] weights, double x, int skip) {
    int last = -1;
    for (int i = 0; i < weights.length; i++) {
      if (weights[i] > 0 && i != skip) {
        last = i;
        x -= weights[i];
        if (x < 0) {
          return i;
        }
      }
    }
    return last; // rounding left x a hair above zero: the last candidate
  }

  private static int nth(Eligibility eligible, int k) {
    for (int i = 0; i < eligible.size(); i++) {
      if (eligible.test(i) && k-- == 0) {
        return i;
      }
    }
    throw new IllegalStateException("fewer eligible backends than counted");
  }
}
