package io.adaptivelb.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where a config comes from: a file, a JSON string, or the lab bundled in the jar. */
public final class ConfigSource {

  private ConfigSource() {
  }

  public static JsonObject bundledDefault() {
    try (InputStream in = ConfigSource.class.getClassLoader().getResourceAsStream(LabConfig.BUNDLED_DEFAULT)) {
      if (in == null) {
        throw new IllegalStateException(LabConfig.BUNDLED_DEFAULT + " is missing from the jar");
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the bundled " + LabConfig.BUNDLED_DEFAULT, e);
    }
  }

  /** The deployment config, or the bundled lab when none was given (no {@code -conf}). */
  public static LabConfig resolve(JsonObject deploymentConfig) {
    JsonObject json = deploymentConfig == null || deploymentConfig.isEmpty() ? bundledDefault() : deploymentConfig;
    return LabConfig.parse(json);
  }

  /**
   * Reads what {@code -conf} names: a JSON file, or inline JSON. Unlike the stock launcher, a missing
   * or broken file is an error, never a silent fall-back to the default lab.
   */
  public static JsonObject read(String fileOrJson) {
    String trimmed = fileOrJson.trim();
    if (trimmed.startsWith("{")) {
      return decode(trimmed, "-conf");
    }
    Path path = Path.of(fileOrJson);
    if (!Files.isRegularFile(path)) {
      throw new ConfigException("-conf", "no such file: " + fileOrJson);
    }
    try {
      return decode(Files.readString(path), fileOrJson);
    } catch (IOException e) {
      throw new ConfigException("-conf", "cannot read " + fileOrJson + ": " + e.getMessage());
    }
  }

  private static JsonObject decode(String text, String where) {
    try {
      return new JsonObject(text);
    } catch (DecodeException e) {
      String message = e.getMessage() == null ? "invalid JSON" : e.getMessage().lines().findFirst().orElse("invalid JSON");
      throw new ConfigException(where, "not a JSON object: " + message);
    }
  }
}
