package io.adaptivelb.config;

/**
 * A configuration problem, always tied to the dotted key that caused it so the one line a user sees
 * tells them exactly what to edit. Keys and values come from the user's file and may hold line breaks
 * or other control characters: they are shown escaped, so the message stays one line whatever the input.
 */
public final class ConfigException extends RuntimeException {

  private final String key;

  public ConfigException(String key, String problem) {
    super(oneLine(key) + ": " + oneLine(problem), null, false, false);
    this.key = key;
  }

  public String key() {
    return key;
  }

  private static String oneLine(String text) {
    if (text == null || text.chars().noneMatch(Character::isISOControl)) {
      return text;
    }
    StringBuilder sb = new StringBuilder(text.length() + 8);
    text.chars().forEach(c -> {
      switch (c) {
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (Character.isISOControl(c)) {
            sb.append(String.format("\\u%04x", c));
          } else {
            sb.append((char) c);
          }
        }
      }
    });
    return sb.toString();
  }
}
