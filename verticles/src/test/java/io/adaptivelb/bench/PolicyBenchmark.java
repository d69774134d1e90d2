package io.adaptivelb.bench;

import io.adaptivelb.common.Clock;
import io.adaptivelb.config.PolicyConfig;
import io.adaptivelb.config.StrictJson;
import io.adaptivelb.policy.Eligibility;
import io.adaptivelb.policy.Policies;
import io.adaptivelb.policy.RoutingPolicy;
import io.vertx.core.json.JsonObject;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * What a policy costs on the hot path: one pick, begin and end (with its latency sample), the way
 * a proxy instance calls them for every request. Run with {@code loadtest/jmh.sh}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PolicyBenchmark {

  @Param({"round-robin", "sma", "ewma", "least-request", "p2c-peak-ewma", "p2c-peak-ewma/weighted", "least-latency"})
  public String policy;

  @Param({"3", "16"})
  public int backends;

  private RoutingPolicy routing;
  private Eligibility all;
  private double[] latency;
  private int tick;

  @Setup
  public void setUp() {
    PolicyConfig config = policy.endsWith("/weighted")
      ? PolicyConfig.read(new StrictJson(new JsonObject().put("type", "p2c-peak-ewma").put("sampling", "weighted"), "policy"))
      : PolicyConfig.defaults(policy);
    routing = Policies.create(config, backends, Clock.SYSTEM, new SplittableRandom(1));
    all = Eligibility.all(backends);
    latency = new double[1024];
    SplittableRandom random = new SplittableRandom(2);
    for (int i = 0; i < latency.length; i++) {
      latency[i] = 5 + random.nextDouble() * 100;
    }
  }

  @Benchmark
  public int pickAndRecord() {
    int backend = routing.pick(all);
    routing.begin(backend);
    routing.end(backend, latency[tick++ & 1023], false);
    return backend;
  }

  public static void main(String[] args) throws Exception {
    org.openjdk.jmh.Main.main(args.length > 0 ? args : new String[]{PolicyBenchmark.class.getSimpleName()});
  }
}
