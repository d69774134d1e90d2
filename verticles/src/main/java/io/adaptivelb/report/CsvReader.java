package io.adaptivelb.report;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 records from a character stream. The proxy quotes a field only when it holds a comma, a
 * quote or a line break, so a quoted path may span lines: splitting on newlines would misread it.
 */
public final class CsvReader {

  private final Reader in;
  private int peeked = -2;

  public CsvReader(Reader in) {
    this.in = in;
  }

  /** The next record's fields, or null at the end of the input. A blank line is skipped. */
  public List<String> next() throws IOException {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    boolean sawAnything = false;
    while (true) {
      int c = read();
      if (c == -1) {
        if (!sawAnything) {
          return null;
        }
        fields.add(field.toString());
        return fields;
      }
      sawAnything = true;
      if (quoted) {
        if (c == '"') {
          if (peek() == '"') {
            read();
            field.append('"');
          } else {
            quoted = false;
          }
        } else {
          field.append((char) c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        fields.add(field.toString());
        field.setLength(0);
      } else if (c == '\r' || c == '\n') {
        if (c == '\r' && peek() == '\n') {
          read();
        }
        if (fields.isEmpty() && field.length() == 0) {
          sawAnything = false;
          continue;
        }
        fields.add(field.toString());
        return fields;
      } else {
        field.append((char) c);
      }
    }
  }

  private int read() throws IOException {
    if (peeked != -2) {
      int c = peeked;
      peeked = -2;
      return c;
    }
    return in.read();
  }

  private int peek() throws IOException {
    if (peeked == -2) {
      peeked = in.read();
    }
    return peeked;
  }

  /** One field quoted the way the proxy does it: only when it must be. */
  public static String quote(String value) {
    if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
      return value;
    }
    return '"' + value.replace("\"", "\"\"") + '"';
  }
}
