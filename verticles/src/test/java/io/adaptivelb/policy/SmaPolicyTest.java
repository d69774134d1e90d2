package io.adaptivelb.policy;

import io.adaptivelb.common.FakeClock;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SmaPolicyTest {

  /** The proposal's sma: no remedies, so neither the clock nor the random source is consulted. */
  static SmaPolicy sma(int size, int window) {
    return new SmaPolicy(size, window, 1000, Remedies.NONE, new FakeClock(), new SplittableRandom(1));
  }

  @Test
  void scoreIsInfiniteUntilTheWindowIsFullThenTheMeanOfTheLastWindow() {
    SmaPolicy sma = sma(3, 3);
    sma.observe(0, 10, false);
    sma.observe(0, 20, false);
    assertEquals(Double.POSITIVE_INFINITY, sma.score(0));
    sma.observe(0, 30, false);
    assertEquals(20.0, sma.score(0), 1e-9);
    sma.observe(0, 60, false); // 10 falls out of the window
    assertEquals(110.0 / 3, sma.score(0), 1e-9);
    assertEquals(List.of(20.0, 30.0, 60.0), sma.describe(0).get("window"));
  }

  @Test
  void coldStartStarvesBackendsThatHaveNotFilledTheirWindow() {
    // The first backend to fill its window wins for good, even though it is the slowest:
    // the others stay at window - 1 samples, score infinity, and are never tried again.
    SmaPolicy sma = sma(3, 3);
    int[] counts = Sequential.run(sma, 100, 90, 10, 20);
    assertEquals(96, counts[0]);
    assertEquals(2, counts[1]);
    assertEquals(2, counts[2]);
    assertEquals(Double.POSITIVE_INFINITY, sma.score(1));
  }

  @Test
  void steersToTheFastestOnceEveryBackendHasAFullWindow() {
    SmaPolicy sma = sma(3, 3);
    for (int b = 0; b < 3; b++) {
      for (int k = 0; k < 3; k++) {
        sma.observe(b, new double[]{50, 10, 100}[b], false);
      }
    }
    int[] counts = Sequential.run(sma, 60, 50, 10, 100);
    assertEquals(60, counts[1]);
  }

  @Test
  void aBackendThatWasSlowOnceKeepsItsStaleScore() {
    SmaPolicy sma = sma(2, 3);
    for (int k = 0; k < 3; k++) {
      sma.observe(0, 200, false); // a had a bad moment
      sma.observe(1, 50, false);
    }
    int[] counts = Sequential.run(sma, 50, 5, 50); // a is now the fastest by far
    assertEquals(0, counts[0]);
    assertEquals(200.0, sma.score(0), 1e-9);
  }

  @Test
  void evenAWindowOfOneLocksOntoTheFirstBackendUnderSequentialTraffic() {
    SmaPolicy sma = sma(3, 1);
    int[] counts = Sequential.run(sma, 30, 80, 10, 10);
    assertEquals(30, counts[0]);
  }

  @Test
  void aFirstWaveOfConcurrentRequestsFillsEveryWindowThenTheFastestWins() {
    // 9 requests dispatched before any answer: the cycle gives each backend 3, all windows fill.
    SmaPolicy sma = sma(3, 3);
    int[] wave = new int[9];
    for (int i = 0; i < 9; i++) {
      wave[i] = sma.pick(Eligibility.all(3));
      sma.begin(wave[i]);
    }
    for (int pick : wave) {
      sma.end(pick, new double[]{50, 10, 100}[pick], false);
    }
    int[] counts = Sequential.run(sma, 30, 50, 10, 100);
    assertEquals(30, counts[1]);
  }

  @Test
  void aFailureIsLearntAsThePenaltyNeverAsFast() {
    SmaPolicy sma = sma(2, 1);
    sma.observe(0, 2, true); // a 500 that came back in 2 ms
    sma.observe(1, 40, false);
    assertEquals(1000.0, sma.score(0), 1e-9);
    assertEquals(1, sma.pick(Eligibility.all(2)));
  }

  @Test
  void tiesGoInCycleOrder() {
    SmaPolicy sma = sma(3, 1);
    for (int b = 0; b < 3; b++) {
      sma.observe(b, 10, false);
    }
    int[] counts = Sequential.run(sma, 30, 10, 10, 10);
    assertEquals(10, counts[0]);
    assertEquals(10, counts[1]);
    assertEquals(10, counts[2]);
  }

  @Test
  void refusesAnEmptyWindow() {
    assertThrows(IllegalArgumentException.class, () -> sma(3, 0));
  }
}
