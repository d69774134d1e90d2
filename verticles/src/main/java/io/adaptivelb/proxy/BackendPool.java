package io.adaptivelb.proxy;

import io.adaptivelb.common.Clock;
import io.adaptivelb.config.HealthConfig;
import io.adaptivelb.config.PolicyConfig;
import io.adaptivelb.config.UpstreamConfig;
import io.adaptivelb.health.ActiveHealthState;
import io.adaptivelb.health.PassiveHealth;
import io.adaptivelb.policy.Eligibility;
import io.adaptivelb.policy.RoutingPolicy;
import io.adaptivelb.telemetry.LatencyRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The backends one proxy instance routes to and everything it knows about them: admin state
 * (enabled, draining, removed), health (passive ejection with slow start, active checks) and the
 * routing policy. A pick considers only eligible backends: the primaries first, the backups when no
 * primary is eligible, and when health leaves none, every enabled one (Envoy's panic mode) rather than
 * failing every request. Static weights and slow start work the same way for every policy: a pick is
 * kept with probability (weight / largest weight) × slow-start share, otherwise the policy picks again
 * without that backend. A retry does not go to a backend back from an ejection that has not answered
 * since (it failed the last time it was tried, and one failed try of this request says the moment is
 * bad): it goes to another primary, a backup, and only when nothing else is left to such a backend.
 * Owned by one event loop.
 */
final class BackendPool implements Eligibility {

  private final List<Slot> slots = new ArrayList<>();
  private final PassiveHealth passive;
  private final HealthConfig.Active active;
  private final Clock clock;
  private final RandomGenerator random;
  private RoutingPolicy policy;
  private PolicyConfig policyConfig;
  // Per pick: what the Eligibility view excludes besides backend state, and which tier it offers.
  private BitSet excluded;
  private boolean backups;
  private boolean panic;
  private boolean retry;

  BackendPool(List<UpstreamConfig> backends, PolicyConfig policyConfig, HealthConfig health, Clock clock,
              RandomGenerator random) {
    this.clock = clock;
    this.random = random;
    this.active = health.active();
    this.passive = new PassiveHealth(health.passive(), clock, backends.size());
    backends.forEach(b -> slots.add(new Slot(b, active)));
    this.policyConfig = policyConfig;
    this.policy = policyConfig.create(slots.size(), clock, random);
  }

  /** A backend for a new try, avoiding {@code tried}; -1 when there is none to try. */
  int pick(BitSet tried) {
    excluded = tried;
    retry = tried != null && !tried.isEmpty();
    backups = false;
    panic = false;
    int chosen = policy.pick(this);
    if (chosen < 0) {
      backups = true; // no primary can take it: the backups may
      chosen = policy.pick(this);
    }
    if (chosen < 0) {
      panic = true; // every live backend is unhealthy: spread over them rather than refuse everything
      chosen = policy.pick(this);
    }
    // Weight and slow start: a pick not kept goes to the policy's next choice without it; the last
    // rejected one stands when no other is left.
    BitSet without = null;
    while (chosen >= 0 && !panic && random.nextDouble() >= share(chosen)) {
      if (without == null) {
        without = tried == null ? new BitSet() : (BitSet) tried.clone();
      }
      without.set(chosen);
      excluded = without;
      int other = policy.pick(this);
      if (other < 0) {
        break;
      }
      chosen = other;
    }
    excluded = null;
    retry = false;
    return chosen;
  }

  /**
   * The part of its policy's share a backend keeps: its weight relative to the largest of its tier
   * (primaries or backups), times slow start.
   */
  private double share(int i) {
    return (double) slots.get(i).weight / maxWeight(slots.get(i).backup) * passive.weight(i);
  }

  private int maxWeight(boolean backupTier) {
    int max = 1;
    for (Slot s : slots) {
      if (!s.removed && s.backup == backupTier && s.weight > max) {
        max = s.weight;
      }
    }
    return max;
  }

  /** Whether a retry would find a backend other than {@code current} and those already tried. */
  boolean hasAlternative(BitSet tried, int current) {
    for (int i = 0; i < slots.size(); i++) {
      Slot s = slots.get(i);
      if (i != current && (tried == null || !tried.get(i)) && !s.removed && !s.draining && s.enabled) {
        return true; // healthy or not: a pick falls back to unhealthy ones rather than to nothing
      }
    }
    return false;
  }

  @Override
  public int size() {
    return slots.size();
  }

  @Override
  public boolean test(int i) {
    Slot s = slots.get(i);
    if (s.removed || s.draining || !s.enabled || (excluded != null && excluded.get(i))) {
      return false;
    }
    return panic || (s.backup == backups && s.health.up() && !passive.ejected(i) && !(retry && passive.onProbation(i)));
  }

  Upstream upstream(int i) {
    return slots.get(i).upstream;
  }

  RoutingPolicy policy() {
    return policy;
  }

  /** A try at backend {@code i} starts now: the caller must {@link TryLease#end end} or cancel it. */
  TryLease begin(int i) {
    slots.get(i).inFlight++;
    return new TryLease(this, i, policy.begin(i));
  }

  /** A try's lease is over: a draining backend leaves with its last one. */
  void released(int i) {
    Slot s = slots.get(i);
    s.inFlight--;
    if (s.draining && s.inFlight == 0) {
      s.removed = true;
      s.draining = false;
    }
  }

  void healthFailure(int i) {
    passive.failure(i, liveCount());
  }

  void healthSuccess(int i) {
    passive.success(i);
  }

  /** A record from another proxy instance, learnt by {@link TryLease}'s rule; health stays this instance's own. */
  void observe(LatencyRecord record) {
    int i = indexOf(record.backend());
    if (i >= 0 && TryLease.teaches(record)) {
      policy.observe(i, record.load(), record.upstreamMs(), record.failed());
    }
  }

  void switchPolicy(PolicyConfig config) {
    policyConfig = config;
    policy = config.create(slots.size(), clock, random);
  }

  PolicyConfig policyConfig() {
    return policyConfig;
  }

  /** Adds a backend, or brings back a removed one of the same name with its history. */
  void add(UpstreamConfig config) {
    int i = indexOf(config.name());
    if (i >= 0 && !slots.get(i).removed && !slots.get(i).draining) {
      return;
    }
    if (i >= 0) {
      Slot s = new Slot(config, active);
      s.inFlight = slots.get(i).inFlight;
      slots.set(i, s);
    } else {
      slots.add(new Slot(config, active));
      policy.grow(slots.size());
      passive.grow(slots.size());
    }
  }

  /** Stops new requests to the backend; it leaves once the requests in flight to it have finished. */
  boolean remove(String name) {
    int i = indexOf(name);
    if (i < 0 || slots.get(i).removed) {
      return false;
    }
    Slot s = slots.get(i);
    if (s.inFlight == 0) {
      s.removed = true;
    } else {
      s.draining = true;
    }
    return true;
  }

  /** A new static weight for a backend; the next pick already weighs it so. */
  boolean setWeight(String name, int weight) {
    Slot s = liveSlot(name);
    if (s != null) {
      s.weight = weight;
    }
    return s != null;
  }

  boolean setEnabled(String name, boolean enabled) {
    Slot s = liveSlot(name);
    if (s != null) {
      s.enabled = enabled;
    }
    return s != null;
  }

  /** The backend of that name unless it was removed; null otherwise. */
  private Slot liveSlot(String name) {
    int i = indexOf(name);
    return i < 0 || slots.get(i).removed ? null : slots.get(i);
  }

  /** Live (not removed, not draining) backends as configured, with the weight they have now. */
  List<UpstreamConfig> configs() {
    List<UpstreamConfig> out = new ArrayList<>();
    for (Slot s : slots) {
      if (!s.removed && !s.draining) {
        out.add(s.config.withWeight(s.weight));
      }
    }
    return out;
  }

  /** No try of any request is in flight to any backend. */
  boolean idle() {
    for (Slot s : slots) {
      if (s.inFlight > 0) {
        return false;
      }
    }
    return true;
  }

  /** Live (not removed) backends, for health checks and the ejection cap. */
  List<Integer> live() {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < slots.size(); i++) {
      if (!slots.get(i).removed) {
        out.add(i);
      }
    }
    return out;
  }

  /** Feeds one active check result; true when it changed the backend's state. */
  boolean checked(int i, boolean ok) {
    return slots.get(i).health.record(ok);
  }

  int indexOf(String name) {
    for (int i = 0; i < slots.size(); i++) {
      if (slots.get(i).upstream.name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  private int liveCount() {
    int n = 0;
    for (Slot s : slots) {
      if (!s.removed) {
        n++;
      }
    }
    return n;
  }

  /** Per live backend: admin state, health and the policy's beliefs, for the bus and {@code /stats}. */
  JsonArray describe() {
    JsonArray rows = new JsonArray();
    for (int i = 0; i < slots.size(); i++) {
      Slot s = slots.get(i);
      if (s.removed) {
        continue;
      }
      JsonObject row = new JsonObject().put("name", s.upstream.name())
        .put("url", "http://" + s.upstream.address().host() + ":" + s.upstream.address().port())
        .put("state", state(i)).put("weight", s.weight).put("backup", s.backup);
      for (Map.Entry<String, Object> e : policy.describe(i).entrySet()) {
        row.put(e.getKey(), JsonValues.of(e.getValue()));
      }
      row.put("health", new JsonObject(passive.describe(i)).put("activeUp", s.health.up()));
      rows.add(row);
    }
    return rows;
  }

  String nextPick() {
    excluded = null;
    retry = false;
    backups = false;
    panic = false;
    int i = policy.peek(this);
    if (i < 0) {
      backups = true;
      i = policy.peek(this);
    }
    return i < 0 ? null : slots.get(i).upstream.name();
  }

  private String state(int i) {
    Slot s = slots.get(i);
    if (s.draining) {
      return "draining";
    }
    if (!s.enabled) {
      return "disabled";
    }
    if (passive.ejected(i)) {
      return "ejected";
    }
    if (!s.health.up()) {
      return "unhealthy";
    }
    return passive.weight(i) < 1 ? "slow-start" : "healthy";
  }

  private static final class Slot {
    final UpstreamConfig config;
    final Upstream upstream;
    int weight;
    final boolean backup;
    final ActiveHealthState health;
    boolean enabled = true;
    boolean draining;
    boolean removed;
    int inFlight;

    Slot(UpstreamConfig config, HealthConfig.Active active) {
      this.config = config;
      this.upstream = Upstream.of(config);
      this.weight = config.weight();
      this.backup = config.backup();
      this.health = new ActiveHealthState(active.rise(), active.fall());
    }
  }
}
