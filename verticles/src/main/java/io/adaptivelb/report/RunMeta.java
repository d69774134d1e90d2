package io.adaptivelb.report;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What {@code loadtest/run.sh} recorded about one wrk run, from {@code meta.json} in the run's folder.
 *
 * @param kind       {@code lab} (our proxy), {@code nginx}, {@code haproxy} or {@code direct} (wrk at one backend)
 * @param connection lab: persistent / non-persistent; peers: their upstream reuse setting
 * @param policy     lab: the policy type; peers: their balancing algorithm
 * @param labConfig  the derived lab config the backends ran with (phases already moved to this run's timing)
 * @param backendsStartMs when the first simulated backend began to listen: the zero of its phase clock
 */
public record RunMeta(Path dir, int seq, int rep, String scenario, String kind, String connection, String policy,
                      String label, Path labConfig, long backendsStartMs, long wrkStartMs, long wrkEndMs, int connections) {

  public static RunMeta read(Path dir) throws IOException {
    JsonObject j = new JsonObject(Files.readString(dir.resolve("meta.json")));
    return new RunMeta(dir, j.getInteger("seq"), j.getInteger("rep"), j.getString("scenario"), j.getString("kind"),
        j.getString("connection"), j.getString("policy"), j.getString("label"), dir.resolve(j.getString("labConfig")),
        j.getLong("backendsStartMs"), j.getLong("wrkStartMs"), j.getLong("wrkEndMs"), j.getInteger("connections"));
  }

  public boolean proxied() {
    return "lab".equals(kind);
  }
}
