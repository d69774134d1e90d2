package io.adaptivelb.admin;

import io.adaptivelb.config.LabConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ChangedKeysTest {

  @Test
  void protocolKeysAreNamedAsTheConfigFileNamesThem() {
    LabConfig running = LabConfig.parse(proxyOnly(new JsonObject()));
    LabConfig next = LabConfig.parse(proxyOnly(new JsonObject().put("http2", true).put("via", true)
      .put("upstreamTls", new JsonObject().put("insecure", true))));
    assertEquals(List.of("proxy.http2", "proxy.via", "proxy.upstreamTls.insecure"), ChangedKeys.between(running, next));
    assertEquals(List.of("proxy.http2", "proxy.via", "proxy.upstreamTls.insecure"),
      ConfigDiff.between(running, next).restartRequired(), "applied only by a restart");
  }

  private static JsonObject proxyOnly(JsonObject proxy) {
    proxy.put("backends", new JsonArray()
      .add(new JsonObject().put("name", "b").put("url", "http://127.0.0.1:1")));
    return new JsonObject().put("roles", new JsonArray().add("proxy")).put("proxy", proxy);
  }
}
