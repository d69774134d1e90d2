package io.adaptivelb.health;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ActiveHealthStateTest {

  @Test
  void goesDownAfterFallFailuresAndUpAfterRiseSuccesses() {
    ActiveHealthState state = new ActiveHealthState(2, 3);
    assertTrue(state.up());
    state.record(false);
    state.record(false);
    state.record(true); // streak broken
    state.record(false);
    state.record(false);
    assertTrue(state.up());
    assertTrue(state.record(false));
    assertFalse(state.up());
    state.record(true);
    assertFalse(state.up());
    assertTrue(state.record(true));
    assertTrue(state.up());
  }
}
