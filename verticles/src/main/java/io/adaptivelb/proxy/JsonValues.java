package io.adaptivelb.proxy;

import io.vertx.core.json.JsonArray;

import java.util.List;

/** Policy state values as JSON: JSON has no infinity, so an infinite score is the string "Infinity". */
final class JsonValues {

  private JsonValues() {
  }

  static Object of(Object v) {
    if (v instanceof Double d && d.isInfinite()) {
      return "Infinity";
    }
    if (v instanceof List<?> list) {
      return new JsonArray(List.copyOf(list));
    }
    return v;
  }
}
