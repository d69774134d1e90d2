package io.adaptivelb.metrics;

import io.adaptivelb.telemetry.LatencyRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Rows encoded straight to bytes, byte for byte as the golden files hold them (what the CSV log's readers parse). */
class CsvFormatTest {

  private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "M\u00c9"};

  @Test
  void aPlainRowReadsAsTheReadmeShowsIt() {
    LatencyRecord r = record(1795689779658L, "2805-2-0", "/", 200, 14.676, 16.846, 64);
    assertEquals("1795689779658,2805-2-0,GET,/,b1,200,14.676,16.846,64,sma,persistent,default,0\n", encode(List.of(r)));
  }

  @Test
  void aTunnelRowHasItsLifetimeAndItsBytesBothWays() {
    LatencyRecord r = new LatencyRecord(1795689779658L, "2805-2-1", "GET", "/chat", "b1", LatencyRecord.SWITCHED, 3.5,
      61_250.125, 1_048_700, "sma", "persistent", false, 1, false, 1, "ws", 1_048_620);
    assertEquals("1795689779658,2805-2-1,GET,/chat,b1,101,3.500,61250.125,1048700,sma,persistent,ws,1048620\n",
      encode(List.of(r)));
  }

  @Test
  void pathsWithCommasQuotesAndLineBreaksAreQuoted() throws Exception {
    assertGolden("quoted-paths.csv", List.of(
      path("/r/1?q=a,b"), path("/say\"hi\""), path("\""), path("\"\""), path(","), path("a\r\nb"),
      path("/x\"y,z\"\""), path(""), path("/plain/path?x=1&y=2"), path("/\"start"), path("end\"")));
  }

  @Test
  void nonAsciiTextIsUtf8LikeStringGetBytes() throws Exception {
    assertGolden("non-ascii.csv", List.of(
      path("/caf\u00e9"), path("/\u00ff\u0080"), path("/\u20ac,\u0800\uffff"), path("/\ud83d\ude00 smile"),
      path("/lone\ud800high"), path("/lone\udc00low"), path("/\ud83d"), path("\ude00"), path("/\ud800\ud800\udc00"),
      path("\"\ud83d\"\ude00\""), new LatencyRecord(1, "id-\u00e9", "G\u00c9T", "/", "b\u4e2d", 200, 1, 1, 0,
        "p\ud83d\ude00", "c\ud800", false, 1, false, 1)));
  }

  @Test
  void oddNumbersHaveAFixedFormatting() throws Exception {
    double[] ms = {0, -0.0, 0.0004, 0.0005, 0.0015, 1e-9, -1e-9, -0.5, -1.5, -0.001, -1.0005, 999.9995, 12.3456789,
      1e15, -1e15, 9.3e15, -9.3e15, 1e300, Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_VALUE,
      Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
    long[] longs = {0, 1, -1, 9, 10, -10, 99, 100, 123456789, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1,
      Integer.MAX_VALUE, Integer.MIN_VALUE, -1000, 1000};
    int[] statuses = {0, 200, 499, 599, -1, Integer.MIN_VALUE, Integer.MAX_VALUE};
    List<LatencyRecord> records = new ArrayList<>();
    for (double m : ms) {
      records.add(record(1, "a", "/", 200, m, -m, 0));
    }
    for (long l : longs) {
      records.add(record(l, "a", "/", 200, 1, 2, l));
    }
    for (int s : statuses) {
      records.add(record(1, "a", "/", s, 1, 2, 3));
    }
    assertGolden("odd-numbers.csv", records);
  }

  @Test
  void randomRecordsMatchTheirGoldenFile() throws Exception {
    SplittableRandom random = new SplittableRandom(8);
    String alphabet = "abc/?=&,\"\r\n \u00e9\u00ff\u0100\u20ac\ud83d\ude00\ud800\udc00\ufffd";
    List<LatencyRecord> records = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      StringBuilder p = new StringBuilder();
      for (int n = random.nextInt(12); n > 0; n--) {
        p.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      double up = switch (random.nextInt(4)) {
        case 0 -> random.nextDouble() * 100;
        case 1 -> (random.nextDouble() - 0.5) * 1e6;
        case 2 -> Double.longBitsToDouble(random.nextLong());
        default -> random.nextInt(5000) / 1000.0;
      };
      // many backend names and methods: words that share a cache slot replace each other
      records.add(new LatencyRecord(random.nextLong(), "r-" + random.nextInt(), METHODS[random.nextInt(METHODS.length)],
        p.toString(), "b" + random.nextInt(100), random.nextInt(-100, 700), up, random.nextDouble() * 50, random.nextLong(),
        i % 2 == 0 ? "p2c-peak-ewma" : "round-robin", new String(i % 3 == 0 ? "persistent" : "non-persistent"),
        false, 1, false, random.nextInt(-5, 5)));
    }
    assertGolden("random.csv", records);
  }

  @Test
  void theBufferGrowsForLongRowsAndIsReusedAfterClear() {
    CsvBytes out = new CsvBytes(8);
    String longPath = "/" + "\u20ac,\"x".repeat(5000);
    CsvFormat.append(out, path(longPath));
    String quoted = "\"/" + "\u20ac,\"\"x".repeat(5000) + "\"";
    assertEquals("1795689779658,2805-2-0,GET," + quoted + ",b1,200,14.676,16.846,64,sma,persistent,default,0\n",
      new String(out.array(), 0, out.length(), StandardCharsets.UTF_8));
    out.clear();
    CsvFormat.append(out, path("/"));
    assertEquals("1795689779658,2805-2-0,GET,/,b1,200,14.676,16.846,64,sma,persistent,default,0\n",
      new String(out.array(), 0, out.length(), StandardCharsets.UTF_8));
  }

  /**
   * The rows' bytes equal the golden file under {@code src/test/resources/csv-golden/}. To write a
   * changed format on purpose, run once with {@code -Dgolden.write=true} and review the diff.
   */
  private static void assertGolden(String name, List<LatencyRecord> records) throws Exception {
    CsvBytes out = new CsvBytes(16);
    for (LatencyRecord r : records) {
      CsvFormat.append(out, r);
    }
    byte[] actual = Arrays.copyOf(out.array(), out.length());
    Path file = Path.of("verticles", "src", "test", "resources", "csv-golden", name);
    if (Boolean.getBoolean("golden.write")) {
      Files.write(file, actual);
    }
    byte[] expected = Files.readAllBytes(file);
    if (!Arrays.equals(expected, actual)) { // show the first line that differs, not the whole file
      String[] e = new String(expected, StandardCharsets.ISO_8859_1).split("\n", -1);
      String[] a = new String(actual, StandardCharsets.ISO_8859_1).split("\n", -1);
      for (int i = 0; i < Math.min(e.length, a.length); i++) {
        assertEquals(e[i], a[i], name + " line " + (i + 1));
      }
    }
    assertArrayEquals(expected, actual, name);
  }

  private static String encode(List<LatencyRecord> records) {
    CsvBytes out = new CsvBytes(16);
    records.forEach(r -> CsvFormat.append(out, r));
    return new String(out.array(), 0, out.length(), StandardCharsets.UTF_8);
  }

  private static LatencyRecord path(String path) {
    return record(1795689779658L, "2805-2-0", path, 200, 14.676, 16.846, 64);
  }

  private static LatencyRecord record(long ts, String id, String path, int status, double up, double total, long bytes) {
    return new LatencyRecord(ts, id, "GET", path, "b1", status, up, total, bytes, "sma", "persistent", false, 1, false, 1);
  }
}
