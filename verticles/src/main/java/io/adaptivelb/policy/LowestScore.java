package io.adaptivelb.policy;

import java.util.function.IntToDoubleFunction;

/**
 * Lowest score wins; ties go to the first backend met when walking the cycle from {@code start}, so
 * equal backends still take turns instead of the first one taking everything.
 */
final class LowestScore {

  private LowestScore() {
  }

  static int among(int count, int start, IntToDoubleFunction score) {
    int best = start % count;
    double bestScore = score.applyAsDouble(best);
    for (int step = 1; step < count; step++) {
      int i = (start + step) % count;
      double s = score.applyAsDouble(i);
      if (s < bestScore) {
        best = i;
        bestScore = s;
      }
    }
    return best;
  }
}
