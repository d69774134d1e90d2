package io.adaptivelb.policy;

import io.adaptivelb.common.Clock;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * Everything the lab needs to know about one policy, declared by the policy's own class as a constant
 * {@code TYPE}: its name in the config, a paragraph that explains it, what its score means, whether the
 * proxy sends warm-up probes before opening its port, its parameters and how to build it from them.
 * Config validation, {@code GET /admin/policies}, the dashboard, the harness, the benchmark and
 * docs/policies.md read it from here. A policy joins the lab through {@link PolicyCatalog}.
 *
 * <pre>{@code
 * public static final PolicyType TYPE = PolicyType.named("sma")
 *   .explain("Score = mean of the last `window` latencies ...")
 *   .score("mean of last N latencies (ms)", "ms")
 *   .params(WINDOW, SharedParams.FAILURE_PENALTY_MS)
 *   .builds((settings, size, clock, random) -> new SmaPolicy(size, settings.get(WINDOW), ...));
 * }</pre>
 *
 * @param name        what a config's {@code proxy.policy.type} says: lower-case words joined by '-'
 * @param explanation a paragraph for learners; {@code `code`} spans are written with backticks
 * @param score       what the score means; null when the policy keeps no score (round-robin)
 * @param warmup      whether the proxy sends warm-up probes first (then the warm-up parameters are its too)
 * @param params      its parameters, distinct keys, none named "type"
 * @param variants    settings worth measuring besides the defaults, each a few keys with their values
 * @param factory     how the policy is made from its settings
 */
public record PolicyType(String name, String explanation, Score score, boolean warmup, List<Param<?>> params,
                         List<Map<String, Object>> variants, Factory factory) {

  /** Warm-up probes: GETs to every backend before the proxy opens its port, so no policy starts empty. */
  public static final Param<Integer> WARMUP_PROBES = Param.integer("warmupProbes", 3, 0, 1000,
    "GETs per backend before the proxy opens its port (0 = none)");
  public static final Param<String> WARMUP_PATH = Param.path("warmupPath", "/", "path of the warm-up probes");

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

  /** How a policy is made from its settings, with the clock and random source it must use. */
  @FunctionalInterface
  public interface Factory {
    RoutingPolicy build(PolicySettings settings, int size, Clock clock, RandomGenerator random);
  }

  /** What the policy's score means and its unit (scores of one unit share the dashboard's chart). */
  public record Score(String meaning, String unit) {
  }

  /** Checks the declaration; a policy that warms up gets both warm-up parameters after its own. */
  public PolicyType {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("a policy name is lower-case words joined by '-', got " + name);
    }
    String named = name;
    Objects.requireNonNull(explanation, () -> named + ": explain(...) is required");
    Objects.requireNonNull(factory, () -> named + ": builds(...) is required");
    List<Param<?>> all = new ArrayList<>(params);
    if (warmup && !all.contains(WARMUP_PROBES)) {
      all.add(WARMUP_PROBES);
      all.add(WARMUP_PATH);
    }
    params = List.copyOf(all);
    variants = List.copyOf(variants);
    if (params.stream().map(Param::key).distinct().count() != params.size()
      || params.stream().anyMatch(p -> p.key().equals("type"))) {
      throw new IllegalArgumentException(name + ": parameter keys must be distinct and not \"type\"");
    }
  }

  /** Starts the declaration of a policy (checked when it {@link Builder#builds}). */
  public static Builder named(String name) {
    return new Builder(name);
  }

  /** The parameter with this key, or null. */
  public Param<?> param(String key) {
    for (Param<?> p : params) {
      if (p.key().equals(key)) {
        return p;
      }
    }
    return null;
  }

  /**
   * The harness's and the benchmark's names for this policy: its name, then one {@code name:key=value,...}
   * per variant.
   */
  public List<String> specs() {
    List<String> specs = new ArrayList<>();
    specs.add(name);
    for (Map<String, Object> variant : variants) {
      List<String> pairs = new ArrayList<>();
      variant.forEach((key, value) -> pairs.add(key + "=" + Format.value(value)));
      specs.add(name + ":" + String.join(",", pairs));
    }
    return specs;
  }

  /** Every parameter at its default. */
  public PolicySettings defaults() {
    return PolicySettings.of(this, Map.of());
  }

  RoutingPolicy build(PolicySettings settings, int size, Clock clock, RandomGenerator random) {
    return factory.build(settings, size, clock, random);
  }

  @Override
  public String toString() {
    return name;
  }

  /** The declaration, read top to bottom: name, explanation, score, warm-up, parameters, factory. */
  public static final class Builder {

    private final String name;
    private String explanation;
    private Score score;
    private boolean warmup;
    private final List<Param<?>> params = new ArrayList<>();
    private final List<Map<String, Object>> variants = new ArrayList<>();

    private Builder(String name) {
      this.name = name;
    }

    public Builder explain(String paragraph) {
      this.explanation = paragraph;
      return this;
    }

    /** Lower wins; {@code unit} groups policies whose scores can share one chart axis. */
    public Builder score(String meaning, String unit) {
      this.score = new Score(meaning, unit);
      return this;
    }

    /** The proxy sends {@link #WARMUP_PROBES} GETs to each backend first; adds both warm-up parameters. */
    public Builder warmup() {
      this.warmup = true;
      return this;
    }

    public Builder params(Param<?>... more) {
      Collections.addAll(params, more);
      return this;
    }

    /** A setting worth measuring on its own (the harness and the benchmark run it besides the defaults). */
    public <T> Builder variant(Param<T> param, T value) {
      Map<String, Object> variant = new LinkedHashMap<>();
      variant.put(param.key(), value);
      variants.add(Collections.unmodifiableMap(variant));
      return this;
    }

    public PolicyType builds(Factory how) {
      return new PolicyType(name, explanation, score, warmup, params, variants, how);
    }
  }
}
