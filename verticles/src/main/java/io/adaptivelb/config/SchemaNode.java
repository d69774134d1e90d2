package io.adaptivelb.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the config readers said about one JSON value while they read probe configs through a recording
 * {@link StrictJson}: its type, default, bounds, allowed values, and for an object the keys it allows
 * (per variant when one of its keys selects the others, as a policy's {@code type} does). Written out as
 * JSON Schema (draft 2020-12) by {@link #toSchema()}. A key the readers allow but never read in any probe
 * appears without a type: {@link #untyped(String)} lists them so a test can insist on none.
 */
public final class SchemaNode {

  private String type;
  private Object defaultValue;
  /** Probes read this value with different defaults (a parameter shared by policies): no default is shown. */
  private boolean defaultDiffers;
  private Number minimum;
  /** The minimum itself is not allowed (a policy's {@code alpha}: above 0). */
  private boolean minimumExcluded;
  private Number maximum;
  private Set<String> allowedValues;
  private SchemaNode items;
  /** For an object whose keys the config chooses (groups by name): the schema of each value. */
  private SchemaNode values;
  private final Map<String, SchemaNode> properties = new LinkedHashMap<>();
  private Set<String> allowedKeys;
  private final Set<String> required = new LinkedHashSet<>();
  /** The key whose value selects which other keys are allowed, and those keys per value. */
  private String variantKey;
  private String currentVariant;
  private final Map<String, Set<String>> variantKeys = new TreeMap<>();

  SchemaNode property(String name) {
    return properties.computeIfAbsent(name, n -> new SchemaNode());
  }

  SchemaNode items() {
    if (items == null) {
      items = new SchemaNode();
    }
    type = "array";
    return items;
  }

  SchemaNode values() {
    if (values == null) {
      values = new SchemaNode();
    }
    type = "object";
    return values;
  }

  void object() {
    type = "object";
  }

  void allowOnly(Set<String> keys) {
    type = "object";
    if (currentVariant != null) {
      variantKeys.computeIfAbsent(currentVariant, v -> new TreeSet<>()).addAll(keys);
    } else if (allowedKeys == null) {
      allowedKeys = new TreeSet<>(keys);
    } else {
      allowedKeys.addAll(keys);
    }
    keys.forEach(this::property);
  }

  void require(String name) {
    property(name);
    if (currentVariant == null) {
      required.add(name);
    }
  }

  /** {@code name}'s value (here {@code value}) decides which other keys this object allows. */
  void variant(String name, String value) {
    variantKey = name;
    currentVariant = value;
  }

  SchemaNode scalar(String jsonType, Object fallback) {
    if (type == null || !type.equals("number") || !jsonType.equals("integer")) {
      type = jsonType; // a value read as a number somewhere stays a number
    }
    if (fallback != null) {
      defaultDiffers |= defaultValue != null && !defaultValue.equals(fallback);
      defaultValue = fallback;
    }
    return this;
  }

  SchemaNode bounds(Number min, Number max) {
    minimum = min;
    maximum = max;
    return this;
  }

  SchemaNode boundsAbove(Number min, Number max) {
    bounds(min, max);
    minimumExcluded = true;
    return this;
  }

  SchemaNode allowed(Collection<String> values) {
    allowedValues = allowedValues == null ? new TreeSet<>(values) : allowedValues;
    allowedValues.addAll(values);
    return this;
  }

  /** Dotted keys (under {@code prefix}) that the readers allow but no probe made them read. */
  public List<String> untyped(String prefix) {
    List<String> out = new ArrayList<>();
    properties.forEach((name, node) -> {
      String key = prefix.isEmpty() ? name : prefix + "." + name;
      if (node.type == null) {
        out.add(key);
      }
      out.addAll(node.untyped(key));
    });
    if (items != null) {
      out.addAll(items.untyped(prefix + "[]"));
    }
    if (values != null) {
      out.addAll(values.untyped(prefix + ".*"));
    }
    return out;
  }

  /** This value's JSON Schema. */
  public JsonObject toSchema() {
    JsonObject schema = new JsonObject();
    if (type != null) {
      schema.put("type", type);
    }
    if (allowedValues != null) {
      schema.put("enum", new JsonArray(List.copyOf(allowedValues)));
    }
    if (defaultValue != null && !defaultDiffers) {
      schema.put("default", defaultValue);
    }
    if (minimum != null) {
      schema.put(minimumExcluded ? "exclusiveMinimum" : "minimum", minimum);
    }
    if (maximum != null) {
      schema.put("maximum", maximum);
    }
    if (items != null) {
      schema.put("items", items.toSchema());
    }
    if (values != null) {
      schema.put("additionalProperties", values.toSchema());
      return schema;
    }
    if ("object".equals(type)) {
      JsonObject props = new JsonObject();
      new TreeMap<>(properties).forEach((name, node) -> props.put(name, node.toSchema()));
      schema.put("properties", props);
      if (!required.isEmpty()) {
        schema.put("required", new JsonArray(List.copyOf(required)));
      }
      if (variantKey == null) {
        schema.put("additionalProperties", false);
      } else {
        schema.put("allOf", variants());
      }
    }
    return schema;
  }

  /**
   * One if/then per value of the variant key: with that value, only that variant's keys. Without the
   * key the reader's default variant applies, which may depend on other sections (a policy's default
   * depends on the roles), so then any variant's keys are let through.
   */
  private JsonArray variants() {
    JsonArray all = new JsonArray();
    Set<String> union = new TreeSet<>();
    variantKeys.forEach((value, keys) -> {
      union.addAll(keys);
      JsonObject allowed = new JsonObject();
      keys.forEach(k -> allowed.put(k, true));
      all.add(new JsonObject()
        .put("if", new JsonObject().put("required", new JsonArray().add(variantKey))
          .put("properties", new JsonObject().put(variantKey, new JsonObject().put("const", value))))
        .put("then", new JsonObject().put("properties", allowed).put("additionalProperties", false)));
    });
    JsonObject any = new JsonObject();
    union.forEach(k -> any.put(k, true));
    all.add(new JsonObject().put("properties", any).put("additionalProperties", false));
    return all;
  }
}
