package io.adaptivelb.policy;

/**
 * Parameters that mean the same in several policies, declared once. A policy lists the ones it uses
 * in its {@link PolicyType}, with {@link Param#withDefault} where its starting point differs. The
 * remedies' parameters are declared with them, in {@link Remedies}.
 */
public final class SharedParams {

  public static final Param<Double> FAILURE_PENALTY_MS = Param.number("failurePenaltyMs", 1000, 0, 3_600_000,
    "a failed request is learnt as at least this latency (ms), so a fast 500 never looks like a fast backend");
  public static final Param<Double> ALPHA = Param.numberAbove("alpha", 0.3, 0, 1,
    "weight of the newest sample in the moving average");
  public static final Param<Double> TAU_MS = Param.number("tauMs", 10_000, 1, 86_400_000,
    "time constant (ms) with which an estimate not refreshed decays toward zero, so a backend judged slow is retried");
  public static final Param<Double> SETTLE_MS = Param.number("settleMs", 500, 0, 86_400_000,
    "time constant (ms) with which the latency learnt at a load, not refreshed, settles toward the latency at the next "
      + "lower load, so a load judged slow by a few unlucky samples is tried again (0 = never)");
  public static final Param<Double> DEFAULT_RTT_MS = Param.number("defaultRttMs", 30, 0, 3_600_000,
    "latency (ms) assumed for a backend with no history");

  private SharedParams() {
  }
}
