package io.adaptivelb.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Every reader refuses a value of the wrong type with the full key, what it wanted and what it got. */
class StrictJsonTest {

  private static final JsonObject BAD = new JsonObject(
    "{\"s\": 1, \"b\": \"yes\", \"i\": 1.5, \"big\": 7, \"n\": \"x\", \"o\": [], \"a\": {}, \"items\": [{}, 2],"
      + " \"names\": [\"x\", false], \"groups\": {\"api\": {}, \"web\": \"w\"}}");

  @Test
  void aWrongTypeIsNamedWithItsKey() {
    StrictJson top = new StrictJson(BAD, "top");
    refused("top.s: must be a string, got 1", json -> json.string("s", null));
    refused("top.b: must be true or false, got \"yes\"", json -> json.bool("b", false));
    refused("top.i: must be a whole number, got 1.5", json -> json.integer("i", 0, 0, 10));
    refused("top.big: must be between 0 and 5, got 7", json -> json.integer("big", 0, 0, 5));
    refused("top.big: must be between 0 and 6.5, got 7", json -> json.number("big", 0, 0, 6.5));
    refused("top.n: must be a number, got \"x\"", json -> json.number("n", 0, 0, 1));
    refused("top.o: must be an object, got an array", json -> json.object("o"));
    refused("top.a: must be an array, got an object", json -> json.strings("a", List.of()));
    refused("top.items[1]: must be an object, got 2", json -> json.objects("items", item -> item));
    refused("top.names[1]: must be a string, got false", json -> json.strings("names", List.of()));
    refused("top.groups.web: must be an object, got \"w\"", json -> json.objectMap("groups", (name, group) -> { }));
    assertEquals(7, top.integer("big", 0, 0, 10));
    assertEquals("fallback", top.string("absent", "fallback"));
  }

  private static void refused(String message, Consumer<StrictJson> read) {
    assertEquals(message, assertThrows(ConfigException.class, () -> read.accept(new StrictJson(BAD, "top"))).getMessage());
  }
}
