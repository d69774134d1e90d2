package io.adaptivelb.policy;

import io.adaptivelb.common.Clock;

import java.util.Arrays;
import java.util.Map;

/**
 * Sends each request where it costs the whole system least, not where it finishes soonest. For every
 * backend it learns the latency per band of requests in flight (1, 2, 3-4, 5-8, ... as least-latency
 * does, here with a plain EWMA) and scores a backend by its predicted latency {@code T} times the
 * square of its slowdown {@code T / s}, where {@code s} is the least latency learnt in any band: what
 * the backend takes when it does not queue. {@code T^2 / s} is the marginal cost of one more request at
 * an M/M/1 server (the derivative of rate x latency: the request's own time plus the delay it adds to
 * those queued after it); in a closed loop (a fixed number of clients, as wrk) a request queued at a
 * saturated backend adds no throughput at all while it could add some elsewhere, so the marginal cost
 * there rises faster still: over random mixes in the simulator (closed loop), {@code T^3 / s^2} came
 * nearer the optimum than {@code T^2 / s} (worst case and 5th percentile), and a steeper power did no better.
 * Greedy least-latency keeps queueing at a fast capacity-bound backend until its queue is as slow as
 * the next backend, which parks clients where they add no throughput; the slowdown factor stops that
 * when the queue is a fraction of that long. A backend that does not queue (pure delay) has slowdown 1
 * and is judged by its latency alone.
 *
 * <p>A band never seen borrows the nearest lower band (try more load until it hurts). Estimates decay
 * toward zero with time constant {@code tau} while not refreshed, so a backend judged slow is tried
 * again within a few tau. Failures count as {@code failurePenaltyMs} at least.
 */
public final class MarginalPolicy extends AbstractPolicy {

  public static final PolicyType TYPE = PolicyType.named("marginal")
    .explain("Each request goes where it costs the whole system least, not where it finishes soonest. Latency is "
      + "learnt per band of requests in flight (as least-latency does, with an EWMA of weight `alpha`), and a "
      + "backend scores `T × (T / s)²`: its predicted latency `T` times the square of its slowdown over `s`, the "
      + "least latency learnt in any band (what it takes without queueing). A fast capacity-bound backend so stops "
      + "taking requests long before its queue is as slow as the next backend, where greedy least-latency would park "
      + "clients that add no throughput; a backend that does not queue is judged by its latency alone. Estimates "
      + "not refreshed decay with `tauMs`.")
    .score("predicted latency × slowdown² (ms)", "ms")
    // Measured in the simulator, a short tau (as least-latency's) costs this policy more in retries than it gains.
    .params(SharedParams.ALPHA, SharedParams.TAU_MS, SharedParams.FAILURE_PENALTY_MS)
    .builds((s, size, clock, random) -> new MarginalPolicy(size, s.get(SharedParams.ALPHA), s.get(SharedParams.TAU_MS),
      s.get(SharedParams.FAILURE_PENALTY_MS), clock));

  private final double alpha;
  private final double tauNanos;
  private final Clock clock;
  private double[][] estimateMs;
  private long[][] stampNanos;
  private int cursor;

  public MarginalPolicy(int size, double alpha, double tauMs, double failurePenaltyMs, Clock clock) {
    super(size, failurePenaltyMs);
    if (!(alpha > 0 && alpha <= 1) || !(tauMs > 0)) {
      throw new IllegalArgumentException("alpha must be in (0, 1] and tau positive");
    }
    this.alpha = alpha;
    this.tauNanos = tauMs * 1_000_000;
    this.clock = clock;
    this.estimateMs = new double[size][];
    this.stampNanos = new long[size][];
    for (int i = 0; i < size; i++) {
      initSlot(i);
    }
  }

  private void initSlot(int i) {
    estimateMs[i] = new double[LeastLatencyPolicy.BANDS];
    Arrays.fill(estimateMs[i], Double.NaN);
    stampNanos[i] = new long[LeastLatencyPolicy.BANDS];
  }

  @Override
  public String name() {
    return TYPE.name();
  }

  /**
   * Predicted latency of one more request to {@code backend}, decayed toward 0 while not refreshed; 0 for
   * a backend never measured, so every backend is tried at once instead of being starved by a guess.
   */
  double predict(int backend, long now) {
    for (int b = LeastLatencyPolicy.band(inFlight[backend] + 1); b >= 0; b--) {
      double e = estimateMs[backend][b];
      if (!Double.isNaN(e)) {
        return e * Math.exp(-Math.max(0, now - stampNanos[backend][b]) / tauNanos);
      }
    }
    return 0;
  }

  /** The least latency learnt in any band (undecayed): the backend's latency when it does not queue. */
  double unqueuedMs(int backend) {
    double min = Double.NaN;
    for (double e : estimateMs[backend]) {
      if (!Double.isNaN(e) && !(e >= min)) {
        min = e;
      }
    }
    return min;
  }

  /** Predicted latency times the square of the slowdown over the unqueued latency. */
  double cost(int backend, long now) {
    double t = predict(backend, now);
    double s = unqueuedMs(backend);
    if (!(s > 0) || !(t > s)) {
      return t;
    }
    double slowdown = t / s;
    return t * slowdown * slowdown;
  }

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
    long now = clock.nanoTime();
    return LowestScore.among(eligible, cursor, i -> cost(i, now));
  }

  /** Files the sample under the load it was dispatched into (here or at a peer), as least-latency does. */
  @Override
  protected void learn(int backend, int load, double latencyMs) {
    int b = LeastLatencyPolicy.band(load > 0 ? load : Math.max(1, inFlight[backend]));
    long now = clock.nanoTime();
    double old = estimateMs[backend][b];
    if (Double.isNaN(old)) {
      estimateMs[backend][b] = latencyMs;
    } else {
      double decayed = old * Math.exp(-Math.max(0, now - stampNanos[backend][b]) / tauNanos);
      estimateMs[backend][b] = alpha * latencyMs + (1 - alpha) * decayed;
    }
    stampNanos[backend][b] = now;
  }

  @Override
  protected void resize(int newSize) {
    int old = estimateMs.length;
    estimateMs = Arrays.copyOf(estimateMs, newSize);
    stampNanos = Arrays.copyOf(stampNanos, newSize);
    for (int i = old; i < newSize; i++) {
      initSlot(i);
    }
  }

  @Override
  protected void describeInto(int backend, Map<String, Object> into) {
    long now = clock.nanoTime();
    into.put("score", cost(backend, now));
    into.put("predictedMs", predict(backend, now));
    double s = unqueuedMs(backend);
    into.put("unqueuedMs", Double.isNaN(s) ? null : s);
  }
}
