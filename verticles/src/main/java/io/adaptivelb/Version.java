package io.adaptivelb;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The project version Maven wrote into {@code io/adaptivelb/version.properties} at build time. */
final class Version {

  private Version() {
  }

  static String get() {
    try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
