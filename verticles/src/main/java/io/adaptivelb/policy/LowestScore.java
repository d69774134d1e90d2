package io.adaptivelb.policy;

import java.util.function.IntToDoubleFunction;

/**
 * Lowest score wins; ties go to the first eligible backend met when walking the cycle from
 * {@code start}, so equal backends still take turns instead of the first one taking everything.
 */
final class LowestScore {

  private LowestScore() {
  }

  /** -1 when nothing is eligible. */
  static int among(Eligibility eligible, int start, IntToDoubleFunction score) {
    int n = eligible.size();
    int best = -1;
    double bestScore = Double.NaN;
    for (int step = 0; step < n; step++) {
      int i = (start + step) % n;
      if (!eligible.test(i)) {
        continue;
      }
      double s = score.applyAsDouble(i);
      if (best < 0 || s < bestScore) {
        best = i;
        bestScore = s;
      }
    }
    return best;
  }

  /** A uniformly random eligible backend, or -1. */
  static int random(Eligibility eligible, java.util.random.RandomGenerator random) {
    int count = 0;
    for (int i = 0; i < eligible.size(); i++) {
      if (eligible.test(i)) {
        count++;
      }
    }
    if (count == 0) {
      return -1;
    }
    int target = random.nextInt(count);
    for (int i = 0; i < eligible.size(); i++) {
      if (eligible.test(i) && target-- == 0) {
        return i;
      }
    }
    return -1;
  }
}
