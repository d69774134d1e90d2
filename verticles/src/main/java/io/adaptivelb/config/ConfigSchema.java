package io.adaptivelb.config;

import io.adaptivelb.policy.PolicyCatalog;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * The JSON Schema of a whole config, made by the readers themselves: probe configs are read through a
 * recording {@link StrictJson}, so every key, type, default, bound and allowed value in the schema is
 * the one {@link LabConfig#parse} applies. The probes are the bundled lab plus one change per branch a
 * reader takes on a value: each policy type (for the proxy and for a group; a policy's parameters are
 * recorded from their declarations in the catalog), each latency distribution, and the keys that are read only
 * when present (phases, advertisedHost, adminToken, active health checks). A key a reader allows but no
 * probe reaches still appears, without a type ({@link SchemaNode#untyped}); a test keeps that list empty.
 */
public final class ConfigSchema {

  public static final String DRAFT = "https://json-schema.org/draft/2020-12/schema";

  private ConfigSchema() {
  }

  public static JsonObject generate() {
    SchemaNode root = new SchemaNode();
    for (JsonObject probe : probes()) {
      LabConfig.read(StrictJson.recording(probe, root));
    }
    return new JsonObject()
      .put("$schema", DRAFT)
      .put("title", "adaptive-lb configuration")
      .put("description", "Generated from the config readers (java -jar adaptive-lb.jar --schema); keys are described in docs/configuration.md")
      .mergeIn(root.toSchema());
  }

  /** Keys the readers allow that no probe made them read (should be none). */
  public static List<String> untypedKeys() {
    SchemaNode root = new SchemaNode();
    for (JsonObject probe : probes()) {
      LabConfig.read(StrictJson.recording(probe, root));
    }
    return root.untyped("");
  }

  private static List<JsonObject> probes() {
    JsonObject lab = ConfigSource.bundledDefault();
    List<JsonObject> probes = new ArrayList<>();
    probes.add(lab);
    for (String type : PolicyCatalog.names()) {
      JsonObject probe = lab.copy();
      probe.getJsonObject("proxy").put("policy", new JsonObject().put("type", type))
        .put("groups", new JsonObject().put("api", new JsonObject().put("policy", new JsonObject().put("type", type))
          .put("backends", new JsonArray().add(new JsonObject().put("name", "api1").put("url", "http://127.0.0.1:1")))));
      probes.add(probe);
    }
    JsonArray phases = new JsonArray(); // a phase's latency is read as a backend's is: each distribution again
    for (LatencySpec.Dist dist : LatencySpec.Dist.values()) {
      JsonObject probe = lab.copy();
      firstBackend(probe).put("latency", new JsonObject().put("dist", dist.id));
      probes.add(probe);
      phases.add(new JsonObject().put("atSec", phases.size()).put("latency", new JsonObject().put("dist", dist.id)));
    }
    JsonObject optional = lab.copy();
    phases.getJsonObject(0).put("capacity", 1).put("errorRate", 0);
    firstBackend(optional).put("advertisedHost", "localhost").put("phases", phases);
    optional.getJsonObject("dashboard").put("adminToken", "0123456789abcdef");
    optional.getJsonObject("proxy").put("health", new JsonObject().put("active", new JsonObject().put("path", "/")))
      .put("groups", new JsonObject().put("api", new JsonObject()
        .put("backends", new JsonArray().add(new JsonObject().put("name", "api1").put("url", "http://127.0.0.1:1")))))
      .put("routes", new JsonArray().add(new JsonObject().put("host", "*.example").put("pathPrefix", "/api/")
        .put("stripPrefix", true).put("group", "api")));
    JsonObject pem = new JsonObject().put("cert", "server.pem").put("key", "server-key.pem");
    optional.getJsonObject("proxy").put("tls", pem.copy().put("sni", new JsonArray().add(pem.copy())))
      .put("upstreamTls", new JsonObject().put("caFile", "ca.pem"));
    probes.add(optional);
    return probes;
  }

  private static JsonObject firstBackend(JsonObject config) {
    return config.getJsonArray("backends").getJsonObject(0);
  }
}
