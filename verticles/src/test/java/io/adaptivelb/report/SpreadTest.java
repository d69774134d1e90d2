package io.adaptivelb.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SpreadTest {

  @Test
  void oddCountTakesTheMiddle() {
    Spread s = Spread.of(300, 100, 200);
    assertEquals(200, s.median());
    assertEquals(100, s.min());
    assertEquals(300, s.max());
    assertEquals(3, s.n());
  }

  @Test
  void evenCountTakesTheMeanOfTheMiddleTwo() {
    assertEquals(2.5, Spread.of(4, 1, 3, 2).median());
  }

  @Test
  void notMeasuredValuesAreLeftOut() {
    Spread s = Spread.of(Arrays.asList(Double.NaN, 5.0, null, 7.0));
    assertEquals(6, s.median());
    assertEquals(2, s.n());
    assertTrue(Double.isNaN(Spread.of(Double.NaN).median()));
  }

  @Test
  void formattingShowsMinMaxOnlyWhenThereAreSeveral() {
    assertEquals("1,234", Fmt.spread(Spread.of(1234.4), Fmt::rps));
    assertEquals("2,000 (1,000–3,000)", Fmt.spread(Spread.of(1000, 2000, 3000), Fmt::rps));
    assertEquals("–", Fmt.spread(Spread.of(Double.NaN), Fmt::rps));
  }
}
