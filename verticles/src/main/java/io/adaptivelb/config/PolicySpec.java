package io.adaptivelb.config;

import io.vertx.core.json.JsonObject;

/**
 * The one-line policy notation of the load-test harness and the benchmark: {@code TYPE} or
 * {@code TYPE:KEY=VALUE,...}, such as {@code p2c-peak-ewma:sampling=weighted} or
 * {@code sma:explore=0.1,forgetAfterMs=5000}. A value that reads as a number or a boolean is one,
 * anything else is a string (as loadtest/lib/derive.py reads it).
 */
public final class PolicySpec {

  private PolicySpec() {
  }

  /** The policy the spec names, validated like {@code proxy.policy} in a config. */
  public static PolicyConfig parse(String spec) {
    return PolicyConfig.read(new StrictJson(toJson(spec), "policy"));
  }

  static JsonObject toJson(String spec) {
    String[] typeAndParams = spec.split(":", 2);
    JsonObject json = new JsonObject().put("type", typeAndParams[0]);
    if (typeAndParams.length == 2) {
      for (String item : typeAndParams[1].split(",")) {
        if (item.isEmpty()) {
          continue;
        }
        int eq = item.indexOf('=');
        if (eq <= 0) {
          throw new ConfigException("policy", "'" + item + "' in " + spec + " is not KEY=VALUE");
        }
        json.put(item.substring(0, eq), scalar(item.substring(eq + 1)));
      }
    }
    return json;
  }

  private static Object scalar(String text) {
    if (text.equals("true") || text.equals("false")) {
      return Boolean.parseBoolean(text);
    }
    if (text.matches("-?\\d{1,9}")) {
      return Integer.parseInt(text);
    }
    try {
      double d = Double.parseDouble(text);
      return Double.isFinite(d) && !text.endsWith("d") && !text.endsWith("f") ? (Object) d : text;
    } catch (NumberFormatException e) {
      return text;
    }
  }
}
