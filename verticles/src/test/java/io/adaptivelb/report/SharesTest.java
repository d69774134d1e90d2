package io.adaptivelb.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SharesTest {

  @Test
  void sharesAreCountsOverTheTotalInTheGivenOrder() {
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("b1", 50L);
    counts.put("b2", 30L);
    counts.put("b3", 20L);
    Map<String, Double> s = Shares.of(counts);
    assertEquals(List.of("b1", "b2", "b3"), List.copyOf(s.keySet()));
    assertEquals(0.5, s.get("b1"), 1e-12);
    assertEquals(0.3, s.get("b2"), 1e-12);
    assertEquals(0.2, s.get("b3"), 1e-12);
  }

  @Test
  void aStarvedBackendHasShareZero() {
    Map<String, Double> s = Shares.of(Map.of("b1", 7L, "b2", 0L));
    assertEquals(1.0, s.get("b1"));
    assertEquals(0.0, s.get("b2"));
  }

  @Test
  void noTrafficGivesZeroesNotNaN() {
    Map<String, Double> s = Shares.of(Map.of("b1", 0L, "b2", 0L));
    assertEquals(0.0, s.get("b1"));
  }

  @Test
  void negativeCountsAreABug() {
    assertThrows(IllegalArgumentException.class, () -> Shares.of(Map.of("b1", -1L)));
  }
}
