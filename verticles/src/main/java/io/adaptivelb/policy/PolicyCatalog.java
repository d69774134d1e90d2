package io.adaptivelb.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every policy the lab offers. The config, the admin API, the dashboard ({@code GET /admin/policies}),
 * {@code java -jar adaptive-lb.jar policies}, the load-test harness, the benchmark and docs/policies.md
 * all list what is here, in this order.
 *
 * <p>To add a policy: write its class with a {@code TYPE} (see {@link PolicyType}) and add one line to
 * {@link #BUILT_IN}. A policy that lives outside this jar (a test's, a notebook's) joins at run time
 * with {@link #register(PolicyType)}.
 */
public final class PolicyCatalog {

  /** One line per policy (the trailing comma lets a new one be a single added line). */
  private static final List<PolicyType> BUILT_IN = List.of(new PolicyType[] {
    RoundRobinPolicy.TYPE,
    SmaPolicy.TYPE,
    EwmaPolicy.TYPE,
    LeastRequestPolicy.TYPE,
    PeakEwmaPolicy.TYPE,
    LeastLatencyPolicy.TYPE,
    MarginalPolicy.TYPE,
  });

  /** Registered at run time, after the built-in ones; replaced whole so readers never lock. */
  private static volatile List<PolicyType> registered = List.of();

  private PolicyCatalog() {
  }

  /** The built-in policies, then the registered ones. */
  public static List<PolicyType> all() {
    List<PolicyType> all = new ArrayList<>(BUILT_IN);
    all.addAll(registered);
    return List.copyOf(all);
  }

  /** The policies this jar ships, without any registered at run time. */
  public static List<PolicyType> builtIn() {
    return BUILT_IN;
  }

  public static Optional<PolicyType> find(String name) {
    return all().stream().filter(t -> t.name().equals(name)).findFirst();
  }

  public static List<String> names() {
    return all().stream().map(PolicyType::name).toList();
  }

  /**
   * Adds a policy from outside this jar for as long as the returned handle is open: it is then
   * accepted in configs and admin calls and listed everywhere the built-in ones are.
   *
   * @throws IllegalArgumentException when a policy of that name is already in the catalog
   */
  public static synchronized Registration register(PolicyType type) {
    if (find(type.name()).isPresent()) {
      throw new IllegalArgumentException("a policy named " + type.name() + " is already in the catalog");
    }
    List<PolicyType> next = new ArrayList<>(registered);
    next.add(type);
    registered = List.copyOf(next);
    return new Registration(type);
  }

  private static synchronized void unregister(PolicyType type) {
    List<PolicyType> next = new ArrayList<>(registered);
    next.remove(type);
    registered = List.copyOf(next);
  }

  /** Closing it takes the policy out of the catalog again. */
  public static final class Registration implements AutoCloseable {

    private final PolicyType type;

    private Registration(PolicyType type) {
      this.type = type;
    }

    @Override
    public void close() {
      unregister(type);
    }
  }
}
