package io.adaptivelb.config;

/**
 * A configuration problem, always tied to the dotted key that caused it so the one line a user sees
 * tells them exactly what to edit.
 */
public final class ConfigException extends RuntimeException {

  private final String key;

  public ConfigException(String key, String problem) {
    super(key + ": " + problem, null, false, false);
    this.key = key;
  }

  public String key() {
    return key;
  }
}
