package io.adaptivelb.sim;

import io.adaptivelb.config.ConfigException;
import io.adaptivelb.config.PolicyConfig;
import io.adaptivelb.config.StrictJson;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/**
 * A policy as the load-test scripts name it, {@code TYPE[:KEY=VALUE,...]}, read through the config's own
 * reader, so a parameter the proxy would refuse is refused here too, with the same message.
 */
public final class PolicySpec {

  private PolicySpec() {
  }

  public static PolicyConfig parse(String spec) {
    int colon = spec.indexOf(':');
    JsonObject json = new JsonObject().put("type", colon < 0 ? spec : spec.substring(0, colon));
    if (colon >= 0) {
      for (String item : spec.substring(colon + 1).split(",")) {
        int eq = item.indexOf('=');
        if (eq <= 0) {
          throw new ConfigException("--policy " + spec, "'" + item + "' is not KEY=VALUE");
        }
        String value = item.substring(eq + 1);
        Object parsed;
        try {
          parsed = Json.decodeValue(value);
        } catch (DecodeException e) {
          parsed = value;
        }
        json.put(item.substring(0, eq), parsed);
      }
    }
    return PolicyConfig.read(new StrictJson(json, "policy"));
  }

  /** The spec's label as the harness writes it: the type, then its parameters as given. */
  public static String label(String spec) {
    return spec;
  }
}
