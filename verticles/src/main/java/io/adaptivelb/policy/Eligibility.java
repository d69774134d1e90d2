package io.adaptivelb.policy;

/**
 * Which backends a pick may choose from: the proxy excludes ejected, disabled, draining or
 * already-tried backends without the policy having to know why.
 */
public interface Eligibility {

  /** Every index below {@code size}. */
  static Eligibility all(int size) {
    return new Eligibility() {
      @Override
      public int size() {
        return size;
      }

      @Override
      public boolean test(int backend) {
        return true;
      }
    };
  }

  /** Number of backend slots; indices run from 0 to size - 1. */
  int size();

  boolean test(int backend);
}
