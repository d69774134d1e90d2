package io.adaptivelb.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnalyzeTest {

  private static final String HEADER = "ts_ms,request_id,method,path,backend,status,upstream_ms,total_ms,bytes,policy,connection\n";

  private record Result(int status, String out, String err) {
  }

  private static Result analyze(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Analyze.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void printsTheHarnessProxyFiguresForTheSameWindow(@TempDir Path out) throws Exception {
    Path run = Files.createDirectories(out.resolve("runs/0001-lab"));
    Files.writeString(run.resolve("meta.json"), "{\"seq\":1,\"rep\":1,\"scenario\":\"spread\",\"kind\":\"lab\","
        + "\"connection\":\"persistent\",\"policy\":\"ewma\",\"label\":\"adaptive-lb persistent ewma\","
        + "\"labConfig\":\"lab.json\",\"backendsStartMs\":0,\"wrkStartMs\":1000,\"wrkEndMs\":5000,\"connections\":100}");
    Files.writeString(run.resolve("lab.json"), """
        {"roles": ["backends"],
         "backends": [{"name": "b1", "port": 0, "latency": {"dist": "constant", "ms": 10}},
                      {"name": "b2", "port": 0, "latency": {"dist": "constant", "ms": 50}}]}""");
    Files.writeString(run.resolve("wrk.txt"), "WRK_JSON {\"requests\":9,\"duration_us\":4000000,\"bytes\":0,"
        + "\"errors\":{\"connect\":0,\"read\":0,\"write\":0,\"status\":0,\"timeout\":0},\"latency_us\":{\"mean\":1,"
        + "\"stdev\":0,\"min\":0,\"max\":0,\"p50\":1,\"p90\":0,\"p95\":1,\"p99\":1,\"p999\":0}}\n");
    StringBuilder log = new StringBuilder(HEADER).append("900,early,GET,/,b2,200,50,51,64,ewma,persistent\n");
    double[] totals = {11.5, 12.25, 13, 55.5, 14, 12, 11, 60.75, 13.5};
    for (int i = 0; i < totals.length; i++) {
      String backend = totals[i] > 50 ? "b2" : "b1";
      log.append(String.format(Locale.ROOT, "%d,r%d,GET,/,%s,200,1,%.3f,64,ewma,persistent%n", 1000 + i * 500, i,
          backend, totals[i]));
    }
    log.append("4990,gone,GET,/,b1,499,1,2000,0,ewma,persistent\n");
    log.append("4995,ws,GET,/chat,b2,101,2,3600000,900,ewma,persistent\n"); // a WebSocket open for an hour
    Files.writeString(run.resolve("proxy_log.csv"), log);

    ReportMain.main(new String[] {out.toString()});
    List<String> header;
    List<String> row;
    try (var in = new StringReader(Files.readString(out.resolve("results.csv")))) {
      CsvReader csv = new CsvReader(in);
      header = csv.next();
      row = csv.next();
    }
    Result r = analyze(run.resolve("proxy_log.csv").toString(), "--from", "1000", "--to", "5000");
    assertEquals(0, r.status(), r.err());

    // Every proxy-side column of the harness, as analyze prints it for wrk's window.
    assertEquals("9", row.get(header.indexOf("proxy_rows")));
    assertTrue(r.out().contains("9 requests over 4.0 s"), r.out());
    assertTrue(r.out().contains("requests/s    " + Fmt.rps1(d(row, header, "proxy_rps"))), r.out());
    for (String p : List.of("mean", "p50", "p95", "p99")) {
      assertTrue(r.out().contains(p + " " + Fmt.ms(d(row, header, "proxy_" + p + "_ms"))), p + ": " + r.out());
    }
    assertTrue(r.out().contains("b1 " + Fmt.share1(d(row, header, "share_b1")) + " (7)"), r.out());
    assertTrue(r.out().contains("b2 " + Fmt.share1(d(row, header, "share_b2")) + " (2)"), r.out());
    assertTrue(r.out().contains("1 left out (499"), r.out());
    assertTrue(r.out().contains("1 tunnels left out (101"), r.out());
    assertTrue(r.out().contains("policy ewma, connection persistent"), r.out());
    // The figures themselves, so the agreement is not two copies of one mistake.
    assertEquals("2.250", row.get(header.indexOf("proxy_rps")));
    // Nearest rank: the 9th of 9 sorted values is the p95.
    assertEquals("60.750", row.get(header.indexOf("proxy_p95_ms")));
  }

  private static double d(List<String> row, List<String> header, String column) {
    return Double.parseDouble(row.get(header.indexOf(column)));
  }

  @Test
  void aLogThatSpansSeveralConfigurationsIsSplitIntoSegments(@TempDir Path dir) throws IOException {
    Path csv = dir.resolve("proxy_log.csv");
    Files.writeString(csv, HEADER
        + "1000,a,GET,/,b1,200,1,10,64,sma,persistent\n"
        + "2000,b,GET,/,b1,200,1,20,64,sma,persistent\n"
        + "3000,c,GET,/,b2,200,1,30,64,ewma,non-persistent\n"
        + "4000,d,GET,/,b2,502,1,40,64,ewma,non-persistent\n"
        + "5000,e,GET,/,b2,200,1,50,64,ewma,non-persistent\n");
    Result r = analyze(csv.toString());
    assertEquals(0, r.status(), r.err());
    String out = r.out();
    int sma = out.indexOf("policy sma, connection persistent");
    int ewma = out.indexOf("policy ewma, connection non-persistent");
    int all = out.indexOf("all segments together");
    assertTrue(sma >= 0 && ewma > sma && all > ewma, out);
    // sma: 2 rows over its own 1 s span; ewma: 3 over 2 s with one 502; all: 5 over 4 s.
    assertTrue(out.substring(sma, ewma).contains("requests/s    2.0  (2 requests over 1.0 s, 0 not 2xx)"), out);
    assertTrue(out.substring(ewma, all).contains("requests/s    1.5  (3 requests over 2.0 s, 1 not 2xx)"), out);
    assertTrue(out.substring(ewma, all).contains("mean 40.00  p50 40.00"), out);
    assertTrue(out.substring(all).contains("requests/s    1.3  (5 requests over 4.0 s, 1 not 2xx)"), out);
    assertTrue(out.substring(all).contains("b1 40.0% (2)  b2 60.0% (3)"), out);
  }

  @Test
  void theWindowAcceptsIsoInstants(@TempDir Path dir) throws IOException {
    Path csv = dir.resolve("proxy_log.csv");
    Files.writeString(csv, HEADER + "1000,a,GET,/,b1,200,1,10,64,sma,persistent\n"
        + "2000,b,GET,/,b2,200,1,20,64,sma,persistent\n");
    Result r = analyze(csv.toString(), "--from", "1970-01-01T00:00:01.500Z");
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().contains("1 answered requests"), r.out());
    assertTrue(r.out().contains("b2 100.0% (1)"), r.out());
  }

  @Test
  void badArgumentsGiveOneClearLineAndStatus2(@TempDir Path dir) {
    Result noFile = analyze();
    assertEquals(2, noFile.status());
    assertTrue(noFile.err().startsWith("analyze: no proxy log given"), noFile.err());
    Result badTime = analyze("x.csv", "--from", "yesterday");
    assertEquals(2, badTime.status());
    assertTrue(badTime.err().startsWith("analyze: --from: not epoch ms"), badTime.err());
    Result missing = analyze(dir.resolve("none.csv").toString());
    assertEquals(1, missing.status());
    assertTrue(missing.err().startsWith("analyze: no such file"), missing.err());
  }
}
