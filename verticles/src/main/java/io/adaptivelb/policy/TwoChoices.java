package io.adaptivelb.policy;

import java.util.function.IntToDoubleFunction;
import java.util.random.RandomGenerator;

/**
 * Power of two choices: draw two distinct eligible backends at random and keep the cheaper. Almost
 * as good as asking every backend, without the herd that "always the cheapest" creates when many
 * requests choose on the same stale information.
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

  private static int nth(Eligibility eligible, int k) {
    for (int i = 0; i < eligible.size(); i++) {
      if (eligible.test(i) && k-- == 0) {
        return i;
      }
    }
    throw new IllegalStateException("fewer eligible backends than counted");
  }
}
