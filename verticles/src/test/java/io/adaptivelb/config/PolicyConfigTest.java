package io.adaptivelb.config;

import io.adaptivelb.policy.PeakEwmaPolicy;
import io.adaptivelb.policy.PolicyCatalog;
import io.adaptivelb.policy.PolicyType;
import io.adaptivelb.policy.SharedParams;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PolicyConfigTest {

  @Test
  void everyPolicyAndVariantReadsBackWhatItWrites() {
    for (PolicyType type : PolicyCatalog.all()) {
      for (String spec : type.specs()) {
        PolicyConfig config = PolicySpec.parse(spec);
        assertEquals(type.name(), config.type());
        assertEquals(config, PolicyConfig.read(new StrictJson(config.toJson(), "policy")), spec);
        assertEquals(type.params().size() + 1, config.toJson().size(), spec + ": type and every parameter");
      }
    }
  }

  @Test
  void aSpecSetsParametersOfTheirOwnType() {
    PolicyConfig weighted = PolicySpec.parse("p2c-peak-ewma:sampling=weighted,tauMs=500");
    assertEquals(PeakEwmaPolicy.WEIGHTED, weighted.get(PeakEwmaPolicy.SAMPLING));
    assertEquals(500.0, weighted.get(SharedParams.TAU_MS));
    assertEquals("policy.windw: unknown key (expected one of explore, failurePenaltyMs, forgetAfterMs, tryUnsampled, type, window)",
      assertThrows(ConfigException.class, () -> PolicySpec.parse("sma:windw=3")).getMessage());
    assertEquals("policy: 'window' in sma:window is not KEY=VALUE",
      assertThrows(ConfigException.class, () -> PolicySpec.parse("sma:window")).getMessage());
    assertEquals("policy.tryUnsampled: must be true or false, got \"yes\"",
      assertThrows(ConfigException.class, () -> PolicySpec.parse("sma:tryUnsampled=yes")).getMessage());
  }

  @Test
  void theCatalogJsonCarriesEveryParameterWithItsDefault() {
    JsonObject json = PolicyCatalogJson.of(PolicyCatalog.all());
    assertEquals(PolicyCatalog.all().size(), json.getJsonArray("policies").size());
    JsonObject leastLatency = json.getJsonArray("policies").stream().map(JsonObject.class::cast)
      .filter(p -> p.getString("name").equals("least-latency")).findFirst().orElseThrow();
    JsonObject tau = leastLatency.getJsonArray("params").stream().map(JsonObject.class::cast)
      .filter(p -> p.getString("key").equals("tauMs")).findFirst().orElseThrow();
    assertEquals(2000.0, tau.getDouble("default"));
    assertEquals("number", tau.getString("type"));
    assertEquals("predicted latency of one more request (ms)", leastLatency.getJsonObject("score").getString("meaning"));
  }
}
