package io.adaptivelb.report;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The simulated backends of a lab config as the report needs them: what each one does at a given
 * second after it started, phases applied, so the optimum can follow a scenario that changes mid-run.
 */
public record Scenario(List<Backend> backends) {

  /**
   * A backend's behaviour from {@code atSec} on; capacity 0 means unbounded, as in the lab.
   *
   * @param scv squared coefficient of variation of the service time (0 constant, 1 exponential): how
   *            much a queue in front of it waits on average
   */
  public record Profile(double atSec, double meanMs, int capacity, double errorRate, double scv) {

    /** A profile of exponential service times (the queueing-neutral assumption). */
    public Profile(double atSec, double meanMs, int capacity, double errorRate) {
      this(atSec, meanMs, capacity, errorRate, 1);
    }
  }

  public record Backend(String name, List<Profile> profiles) {

    /** The profile in force {@code sec} seconds after the backend started. */
    public Profile at(double sec) {
      Profile current = profiles.get(0);
      for (Profile p : profiles) {
        if (p.atSec() <= sec) {
          current = p;
        }
      }
      return current;
    }
  }

  public static Scenario fromLabConfig(JsonObject config) {
    List<Backend> backends = new ArrayList<>();
    JsonArray array = config.getJsonArray("backends", new JsonArray());
    for (int i = 0; i < array.size(); i++) {
      JsonObject b = array.getJsonObject(i);
      List<Profile> profiles = new ArrayList<>();
      Profile p = new Profile(0, ServiceTime.meanMs(b.getJsonObject("latency")), b.getInteger("capacity", 0),
          b.getDouble("errorRate", 0.0), ServiceTime.scv(b.getJsonObject("latency")));
      profiles.add(p);
      List<JsonObject> phases = new ArrayList<>();
      b.getJsonArray("phases", new JsonArray()).forEach(o -> phases.add((JsonObject) o));
      phases.sort((x, y) -> Double.compare(x.getDouble("atSec"), y.getDouble("atSec")));
      for (JsonObject ph : phases) {
        // Absent fields keep their value, as the lab does.
        p = new Profile(ph.getDouble("atSec"),
            ph.containsKey("latency") ? ServiceTime.meanMs(ph.getJsonObject("latency")) : p.meanMs(),
            ph.getInteger("capacity", p.capacity()), ph.getDouble("errorRate", p.errorRate()),
            ph.containsKey("latency") ? ServiceTime.scv(ph.getJsonObject("latency")) : p.scv());
        profiles.add(p);
      }
      backends.add(new Backend(b.getString("name"), List.copyOf(profiles)));
    }
    return new Scenario(List.copyOf(backends));
  }

  /** Seconds (after start) at which some backend changes, in order, without duplicates. */
  public List<Double> changeTimes() {
    return backends.stream().flatMap(b -> b.profiles().stream()).map(Profile::atSec).filter(t -> t > 0)
        .distinct().sorted().toList();
  }

  public boolean anyErrors() {
    return backends.stream().flatMap(b -> b.profiles().stream()).anyMatch(p -> p.errorRate() > 0);
  }
}
