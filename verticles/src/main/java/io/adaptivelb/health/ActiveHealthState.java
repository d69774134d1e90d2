package io.adaptivelb.health;

/**
 * HAProxy-style rise/fall: a backend goes down after {@code fall} failed checks in a row and comes
 * back after {@code rise} good ones in a row. Starts up, so a fresh proxy does not refuse traffic
 * until its first checks come back.
 */
public final class ActiveHealthState {

  private final int rise;
  private final int fall;
  private boolean up = true;
  private int streak;

  public ActiveHealthState(int rise, int fall) {
    this.rise = rise;
    this.fall = fall;
  }

  /** @return true when this result changed the state */
  public boolean record(boolean ok) {
    if (ok == up) {
      streak = 0;
      return false;
    }
    streak++;
    if (streak >= (up ? fall : rise)) {
      up = !up;
      streak = 0;
      return true;
    }
    return false;
  }

  public boolean up() {
    return up;
  }
}
