package io.adaptivelb.report;

import java.util.function.DoublePredicate;

/**
 * Narrows down where a predicate stops holding on {@code [lo, hi]} (it holds below some point and not
 * from it on): each step halves the bracket, at most {@code steps} times and no further once the
 * bracket is within {@link #RELATIVE} of its upper end (the optimum of a fleet with many phases solves
 * one split per phase, each bisection nested in another). {@link #lo} is the highest point tried where
 * it held (or the start), {@link #hi} the lowest where it did not (or the end).
 */
record Bisection(double lo, double hi) {

  static final double RELATIVE = 1e-12;

  static Bisection of(double lo, double hi, int steps, DoublePredicate below) {
    for (int k = 0; k < steps && hi - lo > RELATIVE * Math.abs(hi); k++) {
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
