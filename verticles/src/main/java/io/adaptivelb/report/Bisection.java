package io.adaptivelb.report;

import java.util.function.DoublePredicate;

/**
 * Narrows down where a predicate stops holding on {@code [lo, hi]} (it holds below some point and not
 * from it on): each step halves the bracket. {@link #lo} is the highest point tried where it held (or
 * the start), {@link #hi} the lowest where it did not (or the end).
 */
record Bisection(double lo, double hi) {

  static Bisection of(double lo, double hi, int steps, DoublePredicate below) {
    for (int k = 0; k < steps; k++) {
      double mid = (lo + hi) / 2;
      if (below.test(mid)) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return new Bisection(lo, hi);
  }
}
