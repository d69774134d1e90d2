package io.adaptivelb.config;

import io.adaptivelb.policy.Param;
import io.adaptivelb.policy.PolicyType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The policy catalog as JSON, for {@code GET /admin/policies} (the dashboard draws its policy form and
 * explanations from it) and {@code java -jar adaptive-lb.jar policies --json} (the load-test harness
 * reads its policy list from it).
 */
public final class PolicyCatalogJson {

  private PolicyCatalogJson() {
  }

  public static JsonObject of(List<PolicyType> types) {
    JsonArray policies = new JsonArray();
    types.forEach(t -> policies.add(of(t)));
    return new JsonObject().put("default", PolicyConfig.LAB_DEFAULT).put("recommended", PolicyConfig.RECOMMENDED).put("policies", policies);
  }

  static JsonObject of(PolicyType type) {
    JsonArray params = new JsonArray();
    for (Param<?> p : type.params()) {
      JsonObject param = new JsonObject().put("key", p.key()).put("type", p.kind().id())
        .put("default", p.defaultValue()).put("accepts", p.range()).put("meaning", p.meaning());
      switch (p.kind()) {
        case INTEGER, NUMBER -> param.put("min", p.min()).put("aboveMin", p.aboveMin()).put("max", p.max());
        case CHOICE -> param.put("choices", new JsonArray(p.choices()));
        default -> {
        }
      }
      params.add(param);
    }
    JsonObject score = type.score() == null ? null
      : new JsonObject().put("meaning", type.score().meaning()).put("unit", type.score().unit());
    return new JsonObject()
      .put("name", type.name())
      .put("explanation", type.explanation())
      .put("score", score)
      .put("warmup", type.warmup())
      .put("params", params)
      .put("specs", new JsonArray(type.specs()));
  }
}
