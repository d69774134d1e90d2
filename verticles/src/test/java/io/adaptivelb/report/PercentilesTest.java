package io.adaptivelb.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PercentilesTest {

  @Test
  void nearestRankOnTenValuesGivenOutOfOrder() {
    Percentiles p = Percentiles.of(new double[] {10, 1, 9, 2, 8, 3, 7, 4, 6, 5});
    assertEquals(5, p.at(50)); // ceil(0.5 * 10) = 5th smallest
    assertEquals(10, p.at(95)); // ceil(9.5) = 10th
    assertEquals(9, p.at(90));
    assertEquals(10, p.at(99));
    assertEquals(1, p.at(0));
    assertEquals(10, p.at(100));
    assertEquals(5.5, p.mean(), 1e-12);
  }

  @Test
  void p95OfAHundredValuesIsTheNinetyFifth() {
    double[] v = new double[100];
    for (int i = 0; i < 100; i++) {
      v[i] = 100 - i; // 100..1, reversed on purpose
    }
    LatencySummary s = Percentiles.of(v).summary();
    assertEquals(100, s.count());
    assertEquals(50, s.p50());
    assertEquals(95, s.p95());
    assertEquals(99, s.p99());
    assertEquals(50.5, s.mean(), 1e-12);
  }

  @Test
  void aSingleValueIsEveryPercentile() {
    Percentiles p = Percentiles.of(new double[] {3.25});
    assertEquals(3.25, p.at(50));
    assertEquals(3.25, p.at(99));
  }

  @Test
  void emptyIsNaNNotAnError() {
    Percentiles p = Percentiles.of(new double[0]);
    assertTrue(Double.isNaN(p.at(50)));
    assertTrue(Double.isNaN(p.mean()));
  }

  @Test
  void theInputIsNotSortedInPlace() {
    double[] v = {3, 1, 2};
    Percentiles.of(v);
    assertEquals(3, v[0]);
  }

  @Test
  void outOfRangeIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> Percentiles.of(new double[] {1}).at(101));
  }
}
