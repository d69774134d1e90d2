package io.adaptivelb.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvReaderTest {

  @Test
  void quotedFieldsWithCommasQuotesAndLineBreaks() throws IOException {
    CsvReader r = new CsvReader(new StringReader("a,b,c\r\n1,\"x,y\",\"say \"\"hi\"\"\"\n2,\"two\nlines\",\n"));
    assertEquals(List.of("a", "b", "c"), r.next());
    assertEquals(List.of("1", "x,y", "say \"hi\""), r.next());
    assertEquals(List.of("2", "two\nlines", ""), r.next());
    assertNull(r.next());
  }

  @Test
  void lastLineWithoutNewlineAndBlankLines() throws IOException {
    CsvReader r = new CsvReader(new StringReader("\n1,2\n\n3,4"));
    assertEquals(List.of("1", "2"), r.next());
    assertEquals(List.of("3", "4"), r.next());
    assertNull(r.next());
  }

  @Test
  void quoteRoundTrips() throws IOException {
    String v = "a \"b\", c";
    CsvReader r = new CsvReader(new StringReader(CsvReader.quote(v) + "," + CsvReader.quote("plain") + "\n"));
    assertEquals(List.of(v, "plain"), r.next());
  }

  @Test
  void proxyLogRowsAreFilteredToTheWindowAndReadByHeaderName() throws IOException {
    String log = """
        ts_ms,request_id,method,path,backend,status,upstream_ms,total_ms,bytes,policy,connection
        999,a,GET,/,b1,200,1.000,1.500,64,sma,persistent
        1000,b,GET,"/x,y",b2,200,10.000,12.250,64,sma,persistent
        2000,c,GET,/,b1,500,3.000,3.500,0,sma,persistent
        2001,d,GET,/,b3,200,1.000,2.000,64,sma,persistent
        2001,torn,GET
        """;
    List<ProxyLog.Row> rows = new ArrayList<>();
    ProxyLog.read(new CsvReader(new StringReader(log)), 1000, 2000, rows::add);
    assertEquals(2, rows.size());
    assertEquals(new ProxyLog.Row(1000, "b2", 200, 10.0, 12.25, "sma", "persistent"), rows.get(0));
    assertEquals(false, rows.get(1).ok());
  }
}
