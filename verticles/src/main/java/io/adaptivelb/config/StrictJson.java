package io.adaptivelb.config;

import io.adaptivelb.policy.Param;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.DoublePredicate;
import java.util.function.Function;

/**
 * A read-only view of one JSON object that knows its dotted path, refuses keys it was not told
 * about and refuses values of the wrong type or range, always naming the full key.
 */
public final class StrictJson {

  private final JsonObject json;
  private final String path;
  /** Where this object's reading is recorded for the JSON Schema ({@link ConfigSchema}); null when not. */
  private final SchemaNode schema;

  public StrictJson(JsonObject json, String path) {
    this(json, path, null);
  }

  private StrictJson(JsonObject json, String path, SchemaNode schema) {
    this.json = json == null ? new JsonObject() : json;
    this.path = path;
    this.schema = schema;
    if (schema != null) {
      schema.object();
    }
  }

  public static StrictJson root(JsonObject json) {
    return new StrictJson(json, "");
  }

  /** Whether this reader only records the schema (a probe, not a user's config): files it names need not exist. */
  boolean recordingSchema() {
    return schema != null;
  }

  /** Reads {@code json} as usual and records every key, type, default and bound asked for into {@code schema}. */
  static StrictJson recording(JsonObject json, SchemaNode schema) {
    return new StrictJson(json, "", schema);
  }

  private SchemaNode record(String name, String jsonType, Object fallback) {
    return schema == null ? null : schema.property(name).scalar(jsonType, fallback);
  }

  public String key(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  public boolean has(String name) {
    return json.containsKey(name) && json.getValue(name) != null;
  }

  /** Fails on the first key not in {@code known}; call it before reading values so typos surface first. */
  public StrictJson allowOnly(Set<String> known) {
    if (schema != null) {
      schema.allowOnly(known);
    }
    for (String name : json.fieldNames()) {
      if (!known.contains(name)) {
        throw new ConfigException(key(name), "unknown key (expected one of " + String.join(", ", sorted(known)) + ")");
      }
    }
    return this;
  }

  public String string(String name, String fallback) {
    record(name, "string", fallback);
    return has(name) ? valueAs(name, String.class, "must be a string") : fallback;
  }

  public String requiredString(String name) {
    require(name);
    String value = string(name, null);
    if (value == null || value.isBlank()) {
      throw new ConfigException(key(name), "is required");
    }
    return value;
  }

  /** Fails unless {@code name} is present (with any value; its reader checks the value). */
  public void require(String name) {
    if (schema != null) {
      schema.require(name);
    }
    if (!has(name)) {
      throw new ConfigException(key(name), "is required");
    }
  }

  /**
   * {@link #oneOf} for the key that decides which other keys this object allows (a policy's type):
   * the JSON Schema then lists the keys of each value apart.
   */
  public String variant(String name, String fallback, Set<String> allowed) {
    String value = oneOf(name, fallback, allowed);
    if (schema != null) {
      schema.variant(name, value);
    }
    return value;
  }

  public String oneOf(String name, String fallback, Set<String> allowed) {
    SchemaNode node = record(name, "string", fallback);
    if (node != null) {
      node.allowed(allowed);
    }
    String value = string(name, fallback);
    if (value != null && !allowed.contains(value)) {
      throw new ConfigException(key(name), "unknown value \"" + value + "\" (expected one of " + String.join(", ", sorted(allowed)) + ")");
    }
    return value;
  }

  /**
   * A parameter declared with its type, default, range and choices ({@link Param}): the value is
   * checked by the declaration, and the schema shows the declaration, so both come from one place.
   *
   * @return the value with the parameter's Java type, or null when the key is absent
   */
  public Object param(Param<?> p) {
    SchemaNode node = record(p.key(), switch (p.kind()) {
      case INTEGER -> "integer";
      case NUMBER -> "number";
      case FLAG -> "boolean";
      case CHOICE, PATH -> "string";
    }, p.defaultValue());
    if (node != null && p.kind() == Param.Kind.INTEGER) {
      node.bounds((int) p.min(), (int) p.max());
    } else if (node != null && p.kind() == Param.Kind.NUMBER && p.aboveMin()) {
      node.boundsAbove(p.min(), p.max());
    } else if (node != null && p.kind() == Param.Kind.NUMBER) {
      node.bounds(p.min(), p.max());
    } else if (node != null && p.kind() == Param.Kind.CHOICE) {
      node.allowed(p.choices());
    }
    if (!has(p.key())) {
      return null;
    }
    StrictJson plain = new StrictJson(json, path); // the type check alone, recorded above already
    Object value = switch (p.kind()) {
      case INTEGER -> plain.integer(p.key(), 0, Integer.MIN_VALUE, Integer.MAX_VALUE);
      case NUMBER -> plain.number(p.key(), 0, -Double.MAX_VALUE, Double.MAX_VALUE);
      case FLAG -> plain.bool(p.key(), false);
      case CHOICE, PATH -> plain.string(p.key(), null);
    };
    String problem = p.problem(value);
    if (problem != null) {
      throw new ConfigException(key(p.key()), problem);
    }
    return value;
  }

  public int integer(String name, int fallback, int min, int max) {
    SchemaNode node = record(name, "integer", fallback);
    if (node != null) {
      node.bounds(min, max);
    }
    return has(name) ? (int) numberWithin(name, min, max, d -> d == Math.rint(d), "must be a whole number") : fallback;
  }

  public double number(String name, double fallback, double min, double max) {
    SchemaNode node = record(name, "number", fallback);
    if (node != null) {
      node.bounds(min, max);
    }
    return has(name) ? numberWithin(name, min, max, Double::isFinite, "must be a number") : fallback;
  }

  public boolean bool(String name, boolean fallback) {
    record(name, "boolean", fallback);
    return has(name) ? valueAs(name, Boolean.class, "must be true or false") : fallback;
  }

  public StrictJson object(String name) {
    SchemaNode child = schema == null ? null : schema.property(name);
    JsonObject value = has(name) ? valueAs(name, JsonObject.class, "must be an object") : new JsonObject();
    return new StrictJson(value, key(name), child);
  }

  /** Reads an array of objects, each through {@code reader} with its index in the path ({@code backends[1].port}). */
  public <T> List<T> objects(String name, Function<StrictJson, T> reader) {
    SchemaNode itemSchema = schema == null ? null : schema.property(name).items();
    List<T> out = new ArrayList<>();
    if (!has(name)) {
      return out;
    }
    JsonArray array = array(name);
    for (int i = 0; i < array.size(); i++) {
      String itemKey = key(name) + "[" + i + "]";
      JsonObject item = as(array.getValue(i), JsonObject.class, itemKey, "must be an object");
      out.add(reader.apply(new StrictJson(item, itemKey, itemSchema)));
    }
    return out;
  }

  public List<String> strings(String name, List<String> fallback) {
    return strings(name, fallback, null);
  }

  /** Reads an object whose keys are names the caller chooses ({@code groups.api}), each value an object. */
  public void objectMap(String name, java.util.function.BiConsumer<String, StrictJson> reader) {
    SchemaNode values = schema == null ? null : schema.property(name).values();
    StrictJson map = object(name);
    for (String entry : map.json.fieldNames()) {
      reader.accept(entry, new StrictJson(map.valueAs(entry, JsonObject.class, "must be an object"), map.key(entry), values));
    }
  }

  /** This object, with {@code parent}'s values for the {@code keys} it does not set itself. */
  public StrictJson withDefaults(StrictJson parent, Set<String> keys) {
    JsonObject merged = json.copy();
    for (String key : keys) {
      if (!merged.containsKey(key) && parent.json.containsKey(key)) {
        merged.put(key, parent.json.getValue(key));
      }
    }
    return new StrictJson(merged, path, schema);
  }

  /** @param allowed the values the caller accepts (it checks them itself), for the JSON Schema; or null */
  public List<String> strings(String name, List<String> fallback, Set<String> allowed) {
    if (schema != null) {
      SchemaNode item = schema.property(name).items().scalar("string", null);
      if (allowed != null) {
        item.allowed(allowed);
      }
    }
    if (!has(name)) {
      return fallback;
    }
    JsonArray array = array(name);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      out.add(as(array.getValue(i), String.class, key(name) + "[" + i + "]", "must be a string"));
    }
    return out;
  }

  private JsonArray array(String name) {
    return valueAs(name, JsonArray.class, "must be an array");
  }

  /** The value at {@code name}, which must be a number that {@code valid} accepts, from min to max. */
  private double numberWithin(String name, double min, double max, DoublePredicate valid, String mustBe) {
    Object value = json.getValue(name);
    if (!(value instanceof Number n) || !valid.test(n.doubleValue())) {
      throw new ConfigException(key(name), mustBe + ", got " + describe(value));
    }
    double d = n.doubleValue();
    if (d < min || d > max) {
      throw new ConfigException(key(name), "must be between " + trim(min) + " and " + trim(max) + ", got " + n);
    }
    return d;
  }

  private <T> T valueAs(String name, Class<T> type, String mustBe) {
    return as(json.getValue(name), type, key(name), mustBe);
  }

  /** {@code value} as a {@code type}, or the error that names {@code key} and says what it must be. */
  private static <T> T as(Object value, Class<T> type, String key, String mustBe) {
    if (!type.isInstance(value)) {
      throw new ConfigException(key, mustBe + ", got " + describe(value));
    }
    return type.cast(value);
  }

  private static String describe(Object value) {
    if (value instanceof String s) {
      return "\"" + s + "\"";
    }
    if (value instanceof JsonObject) {
      return "an object";
    }
    if (value instanceof JsonArray) {
      return "an array";
    }
    return String.valueOf(value);
  }

  private static String trim(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }

  private static List<String> sorted(Set<String> names) {
    return names.stream().sorted().toList();
  }
}
