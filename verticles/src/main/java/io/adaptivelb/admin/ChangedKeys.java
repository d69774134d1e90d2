package io.adaptivelb.admin;

import io.adaptivelb.config.KeysOfParent;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The dotted keys whose values differ between two configs, found by walking the config records'
 * components: a field added to a config record is compared without being listed anywhere. Lists of
 * named records (backends) are matched by name, so reordering a list changes nothing; a key names the
 * item by its index in the new config, as the config reader's errors do. A record marked
 * {@link KeysOfParent} adds no key of its own: its fields are named as the JSON names them.
 */
final class ChangedKeys {

  private ChangedKeys() {
  }

  static List<String> between(Record before, Record after) {
    List<String> out = new ArrayList<>();
    walk("", before, after, out);
    return out;
  }

  private static void walk(String key, Object before, Object after, List<String> out) {
    if (Objects.equals(before, after)) {
      return;
    }
    if (before instanceof Record a && after instanceof Record b && a.getClass() == b.getClass()) {
      for (RecordComponent component : a.getClass().getRecordComponents()) {
        boolean parentKeys = component.getType().isAnnotationPresent(KeysOfParent.class);
        String name = parentKeys ? key : key.isEmpty() ? component.getName() : key + "." + component.getName();
        walk(name, value(component, a), value(component, b), out);
      }
    } else if (before instanceof List<?> a && after instanceof List<?> b && named(a) && named(b)) {
      Map<String, Object> old = byName(a);
      for (int i = 0; i < b.size(); i++) {
        String name = name(b.get(i));
        Object previous = old.remove(name);
        if (previous == null) {
          out.add(key + "[" + i + "] (added: " + name + ")");
        } else {
          walk(key + "[" + i + "]", previous, b.get(i), out);
        }
      }
      old.keySet().forEach(name -> out.add(key + " (removed: " + name + ")"));
    } else {
      out.add(key);
    }
  }

  private static boolean named(List<?> list) {
    return list.stream().allMatch(item -> item instanceof Record r && nameComponent(r) != null);
  }

  private static RecordComponent nameComponent(Record r) {
    for (RecordComponent component : r.getClass().getRecordComponents()) {
      if (component.getName().equals("name") && component.getType() == String.class) {
        return component;
      }
    }
    return null;
  }

  private static String name(Object item) {
    Record r = (Record) item;
    return (String) value(nameComponent(r), r);
  }

  private static Map<String, Object> byName(List<?> list) {
    Map<String, Object> map = new LinkedHashMap<>();
    list.forEach(item -> map.put(name(item), item));
    return map;
  }

  private static Object value(RecordComponent component, Record r) {
    try {
      var accessor = component.getAccessor();
      accessor.setAccessible(true); // nested config records need not be public
      return accessor.invoke(r);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot read " + component.getName() + " of " + r.getClass().getSimpleName(), e);
    }
  }
}
