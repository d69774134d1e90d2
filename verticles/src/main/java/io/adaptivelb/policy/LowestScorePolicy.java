package io.adaptivelb.policy;

import java.util.function.IntToDoubleFunction;

/**
 * A policy whose rule is a score per backend, lowest wins. Ties go to the first eligible backend met
 * walking the cycle from just past the one chosen last, so equal backends take turns (round robin is
 * the rule where every backend ties). {@link #peek} names the winner; {@link #pick} also moves the
 * cycle on, so a subclass only says how it scores.
 */
abstract class LowestScorePolicy extends AbstractPolicy {

  private int cursor;

  LowestScorePolicy(PolicyType type, int size, double failurePenaltyMs) {
    super(type, size, failurePenaltyMs);
  }

  /** Every backend's score for one comparison: a policy that scores by time reads its clock once here. */
  protected abstract IntToDoubleFunction scores();

  @Override
  public int pick(Eligibility eligible) {
    int chosen = peek(eligible);
    if (chosen >= 0) {
      cursor = (chosen + 1) % eligible.size();
    }
    return chosen;
  }

  @Override
  public int peek(Eligibility eligible) {
    return LowestScore.among(eligible, cursor, scores());
  }
}
