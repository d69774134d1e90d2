package io.adaptivelb.policy;

import java.util.function.IntPredicate;

/**
 * Which backends a pick may choose from: the proxy excludes ejected, disabled, draining or
 * already-tried backends without the policy having to know why.
 */
public interface Eligibility {

  /** Every index below {@code size}. */
  static Eligibility all(int size) {
    return where(size, backend -> true);
  }

  /** The indices below {@code size} that {@code eligible} accepts. */
  static Eligibility where(int size, IntPredicate eligible) {
    return new Eligibility() {
      @Override
      public int size() {
        return size;
      }

      @Override
      public boolean test(int backend) {
        return eligible.test(backend);
      }
    };
  }

  /** Number of backend slots; indices run from 0 to size - 1. */
  int size();

  boolean test(int backend);
}
