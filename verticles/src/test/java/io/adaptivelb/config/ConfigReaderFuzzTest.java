package io.adaptivelb.config;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Coverage-guided fuzzing of the config reader: whatever the text, reading it either gives a config
 * or a {@link ConfigException} whose message is one line naming a key; never another exception, never
 * a stack trace for the user. One target mutates raw text, the other the bundled lab config's values
 * (so the fuzzer reaches the checks behind valid JSON).
 */
class ConfigReaderFuzzTest {

  private static final JsonObject LAB = ConfigSource.bundledDefault();

  @FuzzTest(maxDuration = "15s")
  void anyText(FuzzedDataProvider data) {
    read(() -> LabConfig.parse(ConfigSource.read("{" + data.consumeRemainingAsString())));
  }

  @FuzzTest(maxDuration = "15s")
  void labWithOneValueChanged(FuzzedDataProvider data) {
    JsonObject config = LAB.copy();
    int edits = data.consumeInt(1, 3);
    for (int i = 0; i < edits; i++) {
      List<Object[]> slots = new ArrayList<>();
      collect(config, slots);
      Object[] slot = data.pickValue(slots);
      Object value = value(data, 2);
      if (slot[0] instanceof JsonObject o) {
        String key = data.consumeBoolean() ? (String) slot[1] : data.consumeString(12);
        o.put(key, value);
      } else {
        JsonArray a = (JsonArray) slot[0];
        int index = (Integer) slot[1];
        if (data.consumeBoolean()) {
          a.set(index, value);
        } else {
          a.add(value);
        }
      }
    }
    read(() -> LabConfig.parse(config));
  }

  private static void read(Runnable reading) {
    try {
      reading.run();
    } catch (ConfigException e) {
      String message = e.getMessage();
      assertNotNull(message);
      assertFalse(message.contains("\n") || message.contains("\r"), () -> "message is not one line: " + message);
      assertNotNull(e.key(), "a config error names its key");
    }
  }

  /** Every (container, key or index) in the tree, containers included. */
  private static void collect(Object node, List<Object[]> out) {
    if (node instanceof JsonObject o) {
      for (String key : o.fieldNames()) {
        out.add(new Object[] {o, key});
        collect(o.getValue(key), out);
      }
    } else if (node instanceof JsonArray a) {
      for (int i = 0; i < a.size(); i++) {
        out.add(new Object[] {a, i});
        collect(a.getValue(i), out);
      }
    }
  }

  private static Object value(FuzzedDataProvider data, int depth) {
    switch (data.consumeInt(0, depth > 0 ? 8 : 6)) {
      case 0: return null;
      case 1: return data.consumeBoolean();
      case 2: return data.consumeInt();
      case 3: return data.consumeLong();
      case 4: return data.consumeDouble();
      case 5: return data.consumeString(40);
      case 6: return data.pickValue(new String[] {"sma", "ewma", "round-robin", "least-latency", "p2c-peak-ewma",
        "least-request", "persistent", "non-persistent", "lognormal", "constant", "http://127.0.0.1:9001", "b1", "proxy"});
      case 7: {
        JsonArray a = new JsonArray();
        int n = data.consumeInt(0, 3);
        for (int i = 0; i < n; i++) {
          a.add(value(data, depth - 1));
        }
        return a;
      }
      default: {
        JsonObject o = new JsonObject();
        int n = data.consumeInt(0, 3);
        for (int i = 0; i < n; i++) {
          o.put(data.pickValue(new String[] {"type", "ms", "dist", "name", "url", "port", "window", "alpha",
            "capacity", "atSec", "latency", data.consumeString(8)}), value(data, depth - 1));
        }
        return o;
      }
    }
  }
}
