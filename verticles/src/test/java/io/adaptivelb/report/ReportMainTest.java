package io.adaptivelb.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A folder as run.sh leaves it, two tiny runs: the report files come out with the expected figures. */
class ReportMainTest {

  private static final String LAB = """
      {"roles": ["backends"], "backends": [
        {"name": "b1", "port": 19001, "latency": {"dist": "constant", "ms": 10}},
        {"name": "b2", "port": 19002, "latency": {"dist": "constant", "ms": 50}}]}""";

  private static String wrk(long requests, long p95us) {
    return "WRK_JSON {\"requests\":" + requests + ",\"duration_us\":2000000,\"bytes\":0,"
        + "\"errors\":{\"connect\":0,\"read\":0,\"write\":0,\"status\":0,\"timeout\":0},"
        + "\"latency_us\":{\"mean\":12000,\"stdev\":0,\"min\":0,\"max\":0,\"p50\":11000,\"p90\":0,\"p95\":" + p95us
        + ",\"p99\":30000,\"p999\":0}}\n";
  }

  private static void meta(Path dir, int seq, String kind, String label) throws IOException {
    Files.writeString(dir.resolve("meta.json"), "{\"seq\":" + seq + ",\"rep\":1,\"scenario\":\"spread\",\"kind\":\""
        + kind + "\",\"connection\":\"persistent\",\"policy\":\"sma\",\"label\":\"" + label + "\","
        + "\"labConfig\":\"lab.json\",\"backendsStartMs\":0,\"wrkStartMs\":1000,\"wrkEndMs\":3000,\"connections\":100}");
    Files.writeString(dir.resolve("lab.json"), LAB);
  }

  @Test
  void writesResultsSummaryAndPages(@TempDir Path out) throws Exception {
    Path lab = Files.createDirectories(out.resolve("runs/0001-lab"));
    meta(lab, 1, "lab", "adaptive-lb persistent sma");
    Files.writeString(lab.resolve("wrk.txt"), wrk(10_000, 25_000));
    Files.writeString(lab.resolve("proxy_log.csv"), """
        ts_ms,request_id,method,path,backend,status,upstream_ms,total_ms,bytes,policy,connection
        500,w,GET,/,b2,200,50,51,64,sma,persistent
        1000,a,GET,/,b1,200,10,11,64,sma,persistent
        2000,b,GET,/,b1,200,10,13,64,sma,persistent
        3000,c,GET,/,b1,200,10,12,64,sma,persistent
        """);
    Path peer = Files.createDirectories(out.resolve("runs/0002-peer"));
    meta(peer, 2, "nginx", "nginx least_conn keepalive");
    Files.writeString(peer.resolve("wrk.txt"), wrk(4_000, 80_000));
    Files.writeString(peer.resolve("stats-before.json"),
        "{\"backends\":[{\"name\":\"b1\",\"server\":{\"requests\":10}},{\"name\":\"b2\",\"server\":{\"requests\":10}}]}");
    Files.writeString(peer.resolve("stats-after.json"),
        "{\"backends\":[{\"name\":\"b1\",\"server\":{\"requests\":3010}},{\"name\":\"b2\",\"server\":{\"requests\":1010}}]}");

    ReportMain.main(new String[] {out.toString()});

    List<String> header;
    List<String> labRow;
    List<String> peerRow;
    try (var in = new StringReader(Files.readString(out.resolve("results.csv")))) {
      CsvReader csv = new CsvReader(in);
      header = csv.next();
      labRow = csv.next();
      peerRow = csv.next();
    }
    // Pure delay, 100 connections, fastest 10 ms: 10,000 req/s best; 10,000 requests in 2 s = 5,000 req/s.
    assertEquals("5000.000", labRow.get(header.indexOf("rps")));
    assertEquals("10000.000", labRow.get(header.indexOf("optimum_rps")));
    assertEquals("50.000", labRow.get(header.indexOf("pct_of_optimum")));
    // The row at ts 500 is before wrk started: not counted; b2 shows as starved, not missing.
    assertEquals("3", labRow.get(header.indexOf("proxy_rows")));
    assertEquals("12.000", labRow.get(header.indexOf("proxy_mean_ms")));
    assertEquals("1.0000", labRow.get(header.indexOf("share_b1")));
    assertEquals("0.0000", labRow.get(header.indexOf("share_b2")));
    assertEquals("25.000", labRow.get(header.indexOf("wrk_p95_ms")));
    assertEquals("0.7500", peerRow.get(header.indexOf("share_b1")));
    assertEquals("backend counters", peerRow.get(header.indexOf("shares_from")));

    String md = Files.readString(out.resolve("summary.md"));
    assertTrue(md.contains("Best possible: 10,000 req/s."), md);
    assertTrue(md.contains("| adaptive-lb persistent sma | 5,000 | 50% |"), md);
    // The lab run's last quarter went to b1, the fastest; the peer's 75% to b1 as well: neither settled elsewhere.
    assertEquals("b1", labRow.get(header.indexOf("settled_on")));
    assertEquals("b1", labRow.get(header.indexOf("fastest")));
    assertTrue(md.contains("| 0 of 1 |"), md);
    String html = Files.readString(out.resolve("report.html"));
    assertTrue(html.contains("renderScenario('spread')"));
    // The legend's markdown code spans are HTML code, not literal backticks.
    assertTrue(html.contains("<code>wrk</code>"), html);
    assertTrue(!html.contains("`"), html);
    assertTrue(Files.readString(out.resolve("data.js")).contains("\"runs\""));
    assertTrue(Files.exists(out.resolve("chart-spread.html")));
    assertTrue(Files.readString(out.resolve("data.js")).startsWith("const REPORT = "));
  }
}
