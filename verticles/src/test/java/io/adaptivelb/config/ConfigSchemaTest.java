package io.adaptivelb.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JSON Schema the readers generate: published as it is generated, complete, and true to the readers. */
class ConfigSchemaTest {

  private static final Path PUBLISHED = Path.of("docs/config.schema.json");

  private final Validator validator = Validator.create(JsonSchema.of(ConfigSchema.generate()),
    new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri("https://adaptive-lb.invalid/"));

  private OutputUnit validate(JsonObject config) {
    return validator.validate(config);
  }

  @Test
  void thePublishedSchemaIsTheGeneratedOne() throws IOException {
    assertEquals(ConfigSchema.generate(), new JsonObject(Files.readString(PUBLISHED)),
      "docs/config.schema.json is stale: java -jar target/adaptive-lb.jar --schema > docs/config.schema.json");
  }

  @Test
  void everyKeyTheReadersAllowHasAType() {
    assertEquals(List.of(), ConfigSchema.untypedKeys());
  }

  @Test
  void everyShippedConfigValidates() throws IOException {
    List<Path> configs = new ArrayList<>();
    for (String dir : List.of("conf", "conf/scenarios", "conf/examples")) {
      if (Files.isDirectory(Path.of(dir))) {
        try (Stream<Path> files = Files.list(Path.of(dir))) {
          files.filter(p -> p.toString().endsWith(".json")).forEach(configs::add);
        }
      }
    }
    assertTrue(configs.size() >= 10, configs.toString());
    for (Path config : configs) {
      JsonObject json = new JsonObject(Files.readString(config));
      LabConfig.parse(json); // the reader accepts it...
      OutputUnit result = validate(json);
      assertTrue(result.getValid(), config + ": " + result.getErrors()); // ...and so does the schema
    }
  }

  @Test
  void whatTheReadersRefuseTheSchemaRefusesToo() {
    JsonObject lab = ConfigSource.bundledDefault();
    List<JsonObject> bad = List.of(
      lab.copy().put("proxyy", new JsonObject()),
      with(lab, "proxy", new JsonObject().put("port", "8080")),
      with(lab, "proxy", new JsonObject().put("port", 70000)),
      with(lab, "proxy", new JsonObject().put("connection", "sometimes")),
      with(lab, "proxy", new JsonObject().put("policy", new JsonObject().put("type", "fastest"))),
      with(lab, "proxy", new JsonObject().put("policy", new JsonObject().put("type", "sma").put("alpha", 0.5))),
      with(lab, "proxy", new JsonObject().put("accessLog", new JsonObject().put("format", "xml"))),
      lab.copy().put("roles", new JsonArray().add("router")),
      lab.copy().put("backends", new JsonArray().add(new JsonObject().put("name", "b9"))));
    for (JsonObject config : bad) {
      boolean readerRefuses;
      try {
        LabConfig.parse(config);
        readerRefuses = false;
      } catch (ConfigException e) {
        readerRefuses = true;
      }
      assertTrue(readerRefuses, config.encode());
      assertFalse(validate(config).getValid(), "the schema accepts " + config.encode());
    }
  }

  @Test
  void policyKeysAreCheckedPerType() {
    JsonObject lab = ConfigSource.bundledDefault();
    assertTrue(validate(with(lab, "proxy", new JsonObject().put("policy",
      new JsonObject().put("type", "ewma").put("alpha", 0.5).put("warmupProbes", 0)))).getValid());
    assertFalse(validate(with(lab, "proxy", new JsonObject().put("policy",
      new JsonObject().put("type", "round-robin").put("window", 3)))).getValid());
  }

  /** The config with {@code section}'s keys replaced by those of {@code change}. */
  private static JsonObject with(JsonObject config, String section, JsonObject change) {
    JsonObject copy = config.copy();
    copy.getJsonObject(section).mergeIn(change);
    return copy;
  }
}
