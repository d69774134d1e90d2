package io.adaptivelb.bench;

import io.adaptivelb.common.Clock;
import io.adaptivelb.config.PolicyConfig;
import io.adaptivelb.config.PolicySpec;
import io.adaptivelb.policy.Eligibility;
import io.adaptivelb.policy.PolicyCatalog;
import io.adaptivelb.policy.RoutingPolicy;
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
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * What a policy costs on the hot path: one pick, begin and end (with its latency sample), the way
 * a proxy instance calls them for every request, for every policy and variant of the catalog (or the
 * specs given with {@code -p policy=...}). Run with {@code loadtest/jmh.sh}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PolicyBenchmark {

  /** A harness spec, {@code TYPE[:KEY=VALUE,...]}; {@link #main} fills in the whole catalog. */
  @Param(PolicyConfig.LAB_DEFAULT)
  public String policy;

  @Param({"3", "16"})
  public int backends;

  private RoutingPolicy routing;
  private Eligibility all;
  private double[] latency;
  private int tick;

  @Setup
  public void setUp() {
    routing = PolicySpec.parse(policy).create(backends, Clock.SYSTEM, new SplittableRandom(1));
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

  /** JMH's command line; without {@code -p policy=...} every catalog policy and variant is measured. */
  public static void main(String[] args) throws Exception {
    CommandLineOptions command = new CommandLineOptions(args);
    OptionsBuilder options = new OptionsBuilder();
    options.parent(command);
    if (command.getIncludes().isEmpty()) {
      options.include(PolicyBenchmark.class.getSimpleName());
    }
    if (command.getParameter("policy").hasValue()) {
      new Runner(options.build()).run();
      return;
    }
    String[] specs = PolicyCatalog.all().stream().flatMap(t -> t.specs().stream()).toArray(String[]::new);
    new Runner(options.param("policy", specs).build()).run();
  }
}
