package io.adaptivelb.proxy;

import io.adaptivelb.config.ConnectionMode;
import io.adaptivelb.config.PolicyConfig;
import io.adaptivelb.config.ProxyConfig;
import io.adaptivelb.config.RouteConfig;
import io.adaptivelb.config.StrictJson;
import io.adaptivelb.config.UpstreamConfig;
import io.vertx.core.json.JsonObject;

/**
 * Applies one runtime change to one proxy instance. Commands arrive already validated by the admin
 * API or the reload; they are parsed again here with the same readers so a bad one cannot half-apply.
 * A command acts on the upstream group its {@code "group"} names, the default group when it names none:
 *
 * <pre>
 * {"op":"policy","policy":{"type":"ewma","alpha":0.5}}
 * {"op":"connection","connection":"non-persistent"}
 * {"op":"add","backend":{"name":"b4","url":"http://127.0.0.1:9004"}}
 * {"op":"remove","name":"b2"}     (drains: requests in flight finish)
 * {"op":"enable","name":"b2"}  {"op":"disable","name":"b2"}
 * {"op":"weight","name":"b2","weight":3}
 * {"op":"group","group":"api","config":{...every key a group sets...}}   (adds the group, or rebuilds it)
 * {"op":"remove-group","group":"api"}    (its requests in flight finish)
 * {"op":"routes","routes":[{"pathPrefix":"/api/","group":"api"}]}
 * </pre>
 */
final class ProxyControl {

  private ProxyControl() {
  }

  /** @param proxy the instance's config: a group made by a command gets its listener settings */
  static void apply(ProxyConfig proxy, UpstreamGroups groups, JsonObject command) {
    String op = command.getString("op", "");
    String name = command.getString("group", ProxyConfig.DEFAULT_GROUP);
    switch (op) {
      case "group" -> groups.put(name, proxy.groupFrom(name, command.getJsonObject("config")));
      case "remove-group" -> groups.remove(name);
      case "routes" -> groups.routes(RouteConfig.readList(command.getJsonArray("routes")));
      default -> {
        ProxyRuntime runtime = groups.get(name);
        if (runtime == null) {
          throw new IllegalArgumentException("no group \"" + name + "\"");
        }
        apply(runtime, op, command);
      }
    }
  }

  private static void apply(ProxyRuntime rt, String op, JsonObject command) {
    switch (op) {
      case "policy" -> rt.pool.switchPolicy(PolicyConfig.read(new StrictJson(command.getJsonObject("policy"), "policy")));
      case "connection" -> rt.switchMode(ConnectionMode.of(command.getString("connection")));
      case "add" -> rt.pool.add(UpstreamConfig.read(new StrictJson(command.getJsonObject("backend"), "backend")));
      case "remove" -> rt.pool.remove(command.getString("name"));
      case "enable" -> rt.pool.setEnabled(command.getString("name"), true);
      case "disable" -> rt.pool.setEnabled(command.getString("name"), false);
      case "weight" -> rt.pool.setWeight(command.getString("name"), weight(command));
      default -> throw new IllegalArgumentException("unknown op \"" + op + "\"");
    }
  }

  private static int weight(JsonObject command) {
    return UpstreamConfig.readWeightChange(new StrictJson(new JsonObject().put("weight", command.getValue("weight")), ""));
  }
}
