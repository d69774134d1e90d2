package io.adaptivelb.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks that a configured PEM file can be read and holds PEM, so a wrong path fails as one line naming the key. */
final class PemFiles {

  private PemFiles() {
  }

  static String readable(StrictJson json, String name) {
    String file = json.requiredString(name);
    if (json.recordingSchema()) {
      return file; // a schema probe names files that need not exist
    }
    Path path = Path.of(file);
    String text;
    try {
      text = Files.readString(path, StandardCharsets.US_ASCII);
    } catch (IOException | RuntimeException e) {
      throw new ConfigException(json.key(name), "cannot read \"" + file + "\" (" + e.getClass().getSimpleName()
        + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
    }
    if (!text.contains("-----BEGIN ")) {
      throw new ConfigException(json.key(name), "\"" + file + "\" is not a PEM file (no -----BEGIN line)");
    }
    return file;
  }
}
