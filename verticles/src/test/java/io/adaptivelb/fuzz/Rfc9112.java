package io.adaptivelb.fuzz;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An independent reading of one HTTP/1.1 request in RFC 9112's grammar, written for the fuzz tests
 * as their oracle: deliberately simple and strict, no Netty, no shared code with the proxy. It says
 * whether a request is one the proxy may forward, and if so which head and which body bytes the
 * client framed. The proxy may refuse more than this (its limits, its stricter target rules); it must
 * never forward what this refuses, nor frame a body differently.
 */
public final class Rfc9112 {

  /** A header field as the client wrote it (name case kept). */
  public record Field(String name, String value) { }

  /** One parsed request; {@code body} is null when the input ends before the body is complete. */
  public record Request(String method, String target, String version, List<Field> fields, byte[] body) {
    public String field(String name) {
      String found = null;
      for (Field f : fields) {
        if (f.name.equalsIgnoreCase(name)) {
          found = f.value;
        }
      }
      return found;
    }
  }

  /**
   * The verdict: a request, or why it is not one (incomplete input is neither). A head that is good
   * followed by a body whose framing is broken gives the request without a body and the refusal:
   * a proxy streams the body, so it passes such a head on and must then never complete the body.
   */
  public record Verdict(Request request, String refusal, boolean incomplete) {
    static Verdict refuse(String why) {
      return new Verdict(null, why, false);
    }
  }

  private final byte[] in;
  private int pos;

  private Rfc9112(byte[] in) {
    this.in = in;
  }

  public static Verdict parse(byte[] input) {
    return new Rfc9112(input).request();
  }

  private Verdict request() {
    while (pos < in.length && (in[pos] == '\r' || in[pos] == '\n')) {
      pos++; // empty lines before a request line are ignored (section 2.2)
    }
    String line = line();
    if (line == null) {
      return incompleteOr();
    }
    if (line.startsWith("\u0000refuse")) {
      return Verdict.refuse(line.substring(7));
    }
    String[] parts = line.split(" ", -1);
    if (parts.length != 3) {
      return Verdict.refuse("request line must be three parts separated by single spaces");
    }
    String method = parts[0];
    String target = parts[1];
    String version = parts[2];
    if (!isToken(method)) {
      return Verdict.refuse("method is not a token");
    }
    if (target.isEmpty() || !target.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
      return Verdict.refuse("target has a character outside VCHAR");
    }
    if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
      return Verdict.refuse("version is not HTTP/1.0 or HTTP/1.1");
    }
    List<Field> fields = new ArrayList<>();
    while (true) {
      String fieldLine = line();
      if (fieldLine == null) {
        return incompleteOr();
      }
      if (fieldLine.startsWith("\u0000refuse")) {
        return Verdict.refuse(fieldLine.substring(7));
      }
      if (fieldLine.isEmpty()) {
        break;
      }
      char first = fieldLine.charAt(0);
      if (first == ' ' || first == '\t') {
        return Verdict.refuse("obs-fold");
      }
      int colon = fieldLine.indexOf(':');
      if (colon <= 0) {
        return Verdict.refuse("field line without a name and colon");
      }
      String name = fieldLine.substring(0, colon);
      if (!isToken(name)) {
        return Verdict.refuse("field name is not a token");
      }
      String value = fieldLine.substring(colon + 1).strip();
      if (hasControl(value)) {
        return Verdict.refuse("control character in a field value");
      }
      fields.add(new Field(name, value));
    }
    return framed(new Request(method, target, version, fields, null));
  }

  private Verdict framed(Request head) {
    boolean http11 = head.version.equals("HTTP/1.1");
    List<String> hosts = values(head, "host");
    if (http11 && hosts.size() != 1 || hosts.size() > 1) {
      return Verdict.refuse("HTTP/1.1 needs exactly one Host");
    }
    if (!hosts.isEmpty() && !validHost(hosts.get(0))) {
      return Verdict.refuse("Host is not uri-host [ : port ]");
    }
    List<String> te = values(head, "transfer-encoding");
    List<String> cl = values(head, "content-length");
    if (!te.isEmpty() && !cl.isEmpty()) {
      return Verdict.refuse("Content-Length with Transfer-Encoding");
    }
    if (!te.isEmpty()) {
      if (!http11) {
        return Verdict.refuse("Transfer-Encoding in HTTP/1.0");
      }
      if (te.size() != 1 || !te.get(0).equalsIgnoreCase("chunked")) {
        return Verdict.refuse("Transfer-Encoding other than one chunked");
      }
      return chunked(head);
    }
    long length = 0;
    if (!cl.isEmpty()) {
      if (cl.size() != 1 || cl.get(0).isEmpty() || cl.get(0).length() > 18
        || !cl.get(0).chars().allMatch(c -> c >= '0' && c <= '9')) {
        return Verdict.refuse("Content-Length is not one decimal number");
      }
      length = Long.parseLong(cl.get(0));
    }
    if (in.length - pos < length) {
      return new Verdict(head, null, true);
    }
    byte[] body = new byte[(int) length];
    System.arraycopy(in, pos, body, 0, body.length);
    pos += body.length;
    return new Verdict(withBody(head, body), null, false);
  }

  private Verdict chunked(Request head) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = line();
      if (sizeLine == null) {
        return new Verdict(head, null, true);
      }
      if (sizeLine.startsWith("\u0000refuse")) {
        return new Verdict(head, sizeLine.substring(7), false);
      }
      int end = 0;
      while (end < sizeLine.length() && Character.digit(sizeLine.charAt(end), 16) >= 0) {
        end++;
      }
      if (end == 0 || end > 15) {
        return new Verdict(head, "chunk size is not 1-15 hex digits", false);
      }
      String ext = sizeLine.substring(end);
      if (!ext.isEmpty() && !ext.stripLeading().startsWith(";")) {
        return new Verdict(head, "chunk size followed by something other than an extension", false);
      }
      if (hasControl(ext)) {
        return new Verdict(head, "control character in a chunk extension", false);
      }
      long size = Long.parseLong(sizeLine.substring(0, end), 16);
      if (size == 0) {
        while (true) { // trailer section, then the blank line
          String trailer = line();
          if (trailer == null) {
            return new Verdict(head, null, true);
          }
          if (trailer.startsWith("\u0000refuse")) {
            return new Verdict(head, trailer.substring(7), false);
          }
          if (trailer.isEmpty()) {
            return new Verdict(withBody(head, body.toByteArray()), null, false);
          }
          int colon = trailer.indexOf(':');
          if (colon <= 0 || !isToken(trailer.substring(0, colon))) {
            return new Verdict(head, "trailer line is not a field line", false);
          }
          if (hasControl(trailer.substring(colon + 1))) {
            return new Verdict(head, "control character in a trailer field value", false);
          }
        }
      }
      if (in.length - pos < size + 2) {
        return new Verdict(head, null, true);
      }
      body.write(in, pos, (int) size);
      pos += (int) size;
      if (in[pos] != '\r' || in[pos + 1] != '\n') {
        return new Verdict(head, "chunk data not followed by CRLF", false);
      }
      pos += 2;
    }
  }

  /**
   * The next line without its CRLF; null when the input ends first; a line starting with NUL and
   * "refuse" when a bare CR or LF ends it (the proxy refuses both).
   */
  private String line() {
    StringBuilder sb = new StringBuilder();
    for (int i = pos; i < in.length; i++) {
      int b = in[i] & 0xFF;
      if (b == '\n') {
        pos = i + 1;
        return "\u0000refusebare LF";
      }
      if (b == '\r') {
        if (i + 1 >= in.length) {
          return null;
        }
        if (in[i + 1] != '\n') {
          pos = i + 1;
          return "\u0000refusebare CR";
        }
        pos = i + 2;
        return sb.toString();
      }
      if (b == 0) {
        pos = i + 1;
        return "\u0000refuseNUL";
      }
      sb.append((char) b);
    }
    return null;
  }

  private Verdict incompleteOr() {
    return new Verdict(null, null, true);
  }

  private static Request withBody(Request head, byte[] body) {
    return new Request(head.method, head.target, head.version, head.fields, body);
  }

  private static List<String> values(Request r, String name) {
    List<String> out = new ArrayList<>();
    for (Field f : r.fields) {
      if (f.name.toLowerCase(Locale.ROOT).equals(name)) {
        out.add(f.value);
      }
    }
    return out;
  }

  /** Field values and chunk extensions allow HTAB but no other control character (RFC 9110 §5.5). */
  private static boolean hasControl(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7F) {
        return true;
      }
    }
    return false;
  }

  private static boolean validHost(String host) {
    // uri-host [ ":" port ]: reg-name, IPv4 or a bracketed IP literal; no userinfo, path or spaces. An
    // empty value is a reg-name too (RFC 9112 3.2: what a client sends for a target without authority).
    return host.chars().noneMatch(c -> c == '/' || c == '@' || c == ' ' || c == '\t'
      || c == '?' || c == '#' || c == '\\' || c > 0x7E);
  }

  static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean tchar = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!tchar) {
        return false;
      }
    }
    return true;
  }
}
