package io.adaptivelb.telemetry;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Latency records from one proxy instance, sent together so the event bus carries one message per
 * few milliseconds instead of one per request.
 *
 * @param source id of the proxy instance that forwarded these requests (lets it skip its own records)
 */
public record RecordBatch(String source, List<LatencyRecord> records) {

  public JsonObject toJson() {
    JsonArray array = new JsonArray();
    for (LatencyRecord r : records) {
      array.add(r.toJson());
    }
    return new JsonObject().put("source", source).put("records", array);
  }

  public static RecordBatch fromJson(JsonObject json) {
    JsonArray array = json.getJsonArray("records");
    List<LatencyRecord> records = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      records.add(LatencyRecord.fromJson(array.getJsonObject(i)));
    }
    return new RecordBatch(json.getString("source"), List.copyOf(records));
  }
}
