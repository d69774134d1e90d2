package io.adaptivelb.config;

import io.adaptivelb.policy.SmaPolicy;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LabConfigTest {

  @Test
  void theBundledLabIsValidAndIsTheProposalsSetting() {
    LabConfig lab = ConfigSource.resolve(new JsonObject());
    assertEquals(8080, lab.proxy().port());
    assertEquals(8081, lab.dashboard().port());
    assertEquals(ConnectionMode.PERSISTENT, lab.proxy().connection());
    assertEquals("sma", lab.proxy().policy().type());
    assertEquals(3, lab.proxy().policy().get(SmaPolicy.WINDOW));
    assertEquals(3, lab.backends().size());
    assertEquals(10, lab.backends().get(0).latency().ms(), 0.0);
    assertEquals(50, lab.backends().get(1).latency().ms(), 0.0);
    assertEquals(100, lab.backends().get(2).latency().ms(), 0.0);
    assertEquals(9003, lab.backends().get(2).port());
  }

  /** Each bad config names the key and the problem in one message. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "unknown top-level key      | {\"proxxy\": {}}                                                   | proxxy: unknown key",
    "unknown proxy key          | {\"proxy\": {\"prot\": 1}}                                          | proxy.prot: unknown key",
    "wrong type                 | {\"proxy\": {\"port\": \"8080\"}}                                   | proxy.port: must be a whole number, got \"8080\"",
    "out of range port          | {\"proxy\": {\"port\": 70000}}                                      | proxy.port: must be between 0 and 65535, got 70000",
    "unknown policy             | {\"proxy\": {\"policy\": {\"type\": \"fastest\"}}}                   | proxy.policy.type: unknown value \"fastest\"",
    "parameter of other policy  | {\"proxy\": {\"policy\": {\"type\": \"sma\", \"alpha\": 0.5}}}       | proxy.policy.alpha: unknown key",
    "alpha out of range         | {\"proxy\": {\"policy\": {\"type\": \"ewma\", \"alpha\": 1.5}}}      | proxy.policy.alpha: must be above 0 and at most 1, got 1.5",
    "unknown sampling           | {\"proxy\": {\"policy\": {\"type\": \"p2c-peak-ewma\", \"sampling\": \"fair\"}}} | proxy.policy.sampling: unknown value \"fair\"",
    "sampling for least-request | {\"proxy\": {\"policy\": {\"type\": \"least-request\", \"sampling\": \"weighted\"}}} | proxy.policy.sampling: unknown key",
    "unknown connection mode    | {\"proxy\": {\"connection\": \"sticky\"}}                           | proxy.connection: unknown value \"sticky\"",
    "bad backend url            | {\"proxy\": {\"backends\": [{\"name\": \"a\", \"url\": \"ftp://x\"}]}} | proxy.backends[0].url: \"ftp://x\" must look like http://host:port",
    "tls cert unreadable        | {\"proxy\": {\"tls\": {\"cert\": \"/nonexistent/server.pem\", \"key\": \"k.pem\"}}} | proxy.tls.cert: cannot read \"/nonexistent/server.pem\"",
    "tls unknown key            | {\"proxy\": {\"tls\": {\"crt\": \"server.pem\"}}}             | proxy.tls.crt: unknown key",
    "http2 not a boolean        | {\"proxy\": {\"http2\": \"yes\"}}                                 | proxy.http2: must be true or false, got \"yes\"",
    "via not a boolean          | {\"proxy\": {\"via\": 1}}                                         | proxy.via: must be true or false, got 1",
    "websocket not a boolean    | {\"proxy\": {\"websocket\": \"off\"}}                             | proxy.websocket: must be true or false, got \"off\"",
    "tunnel idle below zero     | {\"proxy\": {\"tunnelIdleTimeoutMs\": -1}}                      | proxy.tunnelIdleTimeoutMs: must be between 0 and 86400000, got -1",
    "upstreamTls unknown key    | {\"proxy\": {\"upstreamTls\": {\"verify\": false}}}               | proxy.upstreamTls.verify: unknown key",
    "caFile not PEM             | {\"proxy\": {\"upstreamTls\": {\"caFile\": \"/etc/hostname\"}}}  | proxy.upstreamTls.caFile: \"/etc/hostname\" is not a PEM file",
    "long-poll path not a path  | {\"proxy\": {\"streaming\": {\"longPollPaths\": [\"poll\"]}}}    | proxy.streaming.longPollPaths[0]: must start with /",
    "unknown distribution       | {\"backends\": [{\"name\": \"a\", \"port\": 1, \"latency\": {\"dist\": \"pareto\"}}]} | backends[0].latency.dist: unknown value \"pareto\"",
    "negative latency           | {\"backends\": [{\"name\": \"a\", \"port\": 1, \"latency\": {\"ms\": -5}}]} | backends[0].latency.ms: must be between 0",
    "error rate above one       | {\"backends\": [{\"name\": \"a\", \"port\": 1, \"errorRate\": 2}]}    | backends[0].errorRate: must be between 0 and 1, got 2",
    "phase without atSec        | {\"backends\": [{\"name\": \"a\", \"port\": 1, \"phases\": [{\"capacity\": 2}]}]} | backends[0].phases[0].atSec: is required",
    "unknown role               | {\"roles\": [\"proxy\", \"cache\"]}                                 | roles[1]: unknown role \"cache\"",
  })
  void badConfigIsRefusedNamingTheKey(String what, String overlay, String expected) {
    JsonObject json = ConfigSource.bundledDefault();
    JsonObject patch = new JsonObject(overlay);
    for (String key : patch.fieldNames()) {
      Object value = patch.getValue(key);
      if (value instanceof JsonObject o && json.getValue(key) instanceof JsonObject base) {
        json.put(key, base.copy().mergeIn(o));
      } else {
        json.put(key, value);
      }
    }
    ConfigException e = assertThrows(ConfigException.class, () -> LabConfig.parse(json));
    assertTrue(e.getMessage().startsWith(expected), () -> what + ": got \"" + e.getMessage() + "\"");
  }

  @Test
  void twoRolesOnOnePortAreRefused() {
    JsonObject json = ConfigSource.bundledDefault();
    json.getJsonObject("dashboard").put("port", 9002);
    ConfigException e = assertThrows(ConfigException.class, () -> LabConfig.parse(json));
    assertEquals("backends[1].port: port 9002 is already used by dashboard.port", e.getMessage());
  }

  @Test
  void aMissingOrBrokenConfFileIsAnErrorNotASilentDefault() {
    ConfigException missing = assertThrows(ConfigException.class, () -> ConfigSource.read("/nonexistent/lab.json"));
    assertEquals("-conf: no such file: /nonexistent/lab.json", missing.getMessage());
    ConfigException broken = assertThrows(ConfigException.class, () -> ConfigSource.read("{\"proxy\": "));
    assertTrue(broken.getMessage().startsWith("-conf: not a JSON object"), broken.getMessage());
  }
}
