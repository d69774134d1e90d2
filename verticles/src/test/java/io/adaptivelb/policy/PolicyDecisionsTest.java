package io.adaptivelb.policy;

import io.adaptivelb.common.FakeClock;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Pins every decision of every policy over one long, mixed run: picks and peeks over changing sets of
 * eligible backends, loads, failures, cancels, peers' records, time passing and a backend added. The
 * run is fixed by its seeds and a fake clock, so the policies must answer it the same every time; the
 * expected digests are of the answers the policies gave when this test was written. A digest changes
 * only when a policy decides or believes something else: a refactoring must leave them all as they are.
 */
class PolicyDecisionsTest {

  /** Policy settings and the digest of their run; the remedies of sma and ewma are on in some. */
  private static final Map<String, Map<String, ?>> SETTINGS = new LinkedHashMap<>();
  private static final Map<String, Long> DIGESTS = new LinkedHashMap<>();

  static {
    expect("round-robin", Map.of(), 2386342966L);
    expect("sma", Map.of(), 490672311L);
    expect("sma", Map.of("window", 1), 2000284890L);
    expect("sma", Map.of("explore", 0.2, "forgetAfterMs", 400.0, "tryUnsampled", true), 554672067L);
    expect("ewma", Map.of(), 3749145059L);
    expect("ewma", Map.of("explore", 0.1, "forgetAfterMs", 300.0), 1111693097L);
    expect("least-request", Map.of(), 4230185585L);
    expect("p2c-peak-ewma", Map.of(), 942637738L);
    expect("p2c-peak-ewma", Map.of("sampling", "weighted"), 1690691419L);
    expect("least-latency", Map.of(), 1810343620L);
    expect("marginal", Map.of(), 558460150L);
  }

  private static void expect(String type, Map<String, ?> settings, long digest) {
    String key = type + new TreeMap<>(settings);
    SETTINGS.put(key, settings);
    DIGESTS.put(key, digest);
  }

  @Test
  void everyPolicyDecidesAsItDidForTheSameRequestsClockAndRandomSource() {
    Map<String, Long> actual = new LinkedHashMap<>();
    SETTINGS.forEach((key, settings) -> {
      PolicyType type = PolicyCatalog.find(key.substring(0, key.indexOf('{'))).orElseThrow();
      actual.put(key, digest(run(PolicySettings.of(type, settings))));
    });
    assertEquals(DIGESTS, actual);
  }

  /** The run: what the policy chose and believed at every step, as text. */
  private static String run(PolicySettings settings) {
    FakeClock clock = new FakeClock();
    SplittableRandom load = new SplittableRandom(7);
    int size = 4;
    RoutingPolicy policy = settings.build(size, clock, new SplittableRandom(11));
    double[] latencyMs = {12, 40, 5, 90, 25};
    int[] inFlightLoad = new int[64];
    int[] inFlightBackend = new int[64];
    int open = 0;
    StringBuilder trace = new StringBuilder();
    for (int step = 0; step < 3000; step++) {
      if (step == 1500) {
        size = 5;
        policy.grow(size);
      }
      int excluded = load.nextInt(4) == 0 ? load.nextInt(size) : -1;
      Eligibility eligible = Eligibility.where(size, b -> b != excluded);
      trace.append(policy.peek(eligible)).append(',');
      int pick = policy.pick(eligible);
      trace.append(pick).append(';');
      if (pick >= 0 && open < inFlightLoad.length) {
        inFlightBackend[open] = pick;
        inFlightLoad[open] = policy.begin(pick);
        open++;
      }
      while (open > 0 && load.nextInt(3) > 0) {
        int k = load.nextInt(open);
        int backend = inFlightBackend[k];
        int dispatchedInto = inFlightLoad[k];
        inFlightBackend[k] = inFlightBackend[open - 1];
        inFlightLoad[k] = inFlightLoad[open - 1];
        open--;
        int what = load.nextInt(20);
        double ms = latencyMs[backend] * (0.5 + load.nextDouble()) * (step > 2000 && backend == 2 ? 8 : 1);
        if (what == 0) {
          policy.cancel(backend);
        } else if (what == 1) {
          policy.end(backend, ms, true);
        } else if (what == 2) {
          policy.end(backend, ms, false); // the load unknown
        } else {
          policy.end(backend, dispatchedInto, ms, what == 3);
        }
      }
      if (load.nextInt(5) == 0) {
        int backend = load.nextInt(size);
        double ms = latencyMs[backend] * (0.5 + load.nextDouble());
        if (load.nextBoolean()) {
          policy.observe(backend, 1 + load.nextInt(9), ms, load.nextInt(10) == 0);
        } else {
          policy.observe(backend, ms, false);
        }
      }
      clock.advanceMs(load.nextInt(4) == 0 ? 50 * load.nextDouble() : load.nextDouble());
      if (step % 100 == 99) {
        for (int b = 0; b < size; b++) {
          trace.append(policy.describe(b)).append(policy.inFlight(b));
        }
        trace.append('\n');
      }
    }
    return trace.toString();
  }

  private static long digest(String trace) {
    CRC32 crc = new CRC32();
    crc.update(trace.getBytes(StandardCharsets.UTF_8));
    return crc.getValue();
  }
}
