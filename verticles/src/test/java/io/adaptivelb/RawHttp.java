package io.adaptivelb;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A raw HTTP/1.1 client for tests that need the exact bytes: literal bytes out, everything the proxy
 * sends back in, with bounded reads (a socket timeout, never a sleep) so a hang shows as a failed assertion.
 */
public final class RawHttp {

  private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.[01] (\\d{3}) ");
  private static final Pattern CONTENT_LENGTH = Pattern.compile("(?m)^content-length: *(\\d+)");
  public static final int READ_TIMEOUT_MS = 10_000;

  /** What came back on one connection: all bytes, and whether the proxy closed it (EOF or reset) before the timeout. */
  public record Reply(String text, boolean closed) {

    /** Status codes of every response on the connection, in order (interim 1xx included), walking the framing. */
    public List<Integer> statuses() {
      List<Integer> out = new ArrayList<>();
      int pos = 0;
      while (pos < text.length()) {
        Matcher m = STATUS_LINE.matcher(text);
        if (!m.find(pos) || m.start() != pos) {
          break;
        }
        int status = Integer.parseInt(m.group(1));
        out.add(status);
        int headEnd = text.indexOf("\r\n\r\n", pos);
        if (headEnd < 0) {
          break;
        }
        String head = text.substring(pos, headEnd).toLowerCase(java.util.Locale.ROOT);
        pos = headEnd + 4;
        Matcher length = CONTENT_LENGTH.matcher(head);
        if (status < 200 || status == 204 || status == 304) {
          continue;
        } else if (length.find()) {
          pos += Integer.parseInt(length.group(1));
        } else if (head.contains("transfer-encoding: chunked")) {
          int end = text.indexOf("\r\n0\r\n\r\n", pos - 2);
          pos = end < 0 ? text.length() : end + 7;
        } else {
          break; // body until close
        }
      }
      return out;
    }

    public int status() {
      List<Integer> all = statuses();
      if (all.isEmpty()) {
        throw new AssertionError("no response at all, closed=" + closed + ": " + text);
      }
      return all.get(0);
    }

    public String body() {
      int i = text.indexOf("\r\n\r\n");
      return i < 0 ? "" : text.substring(i + 4);
    }
  }

  private RawHttp() {
  }

  public static Reply send(int port, String request) throws IOException {
    return send(port, request.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Writes the bytes, half-keeps the socket open and reads until the proxy closes it or the read times out. */
  public static Reply send(int port, byte[] request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(READ_TIMEOUT_MS);
      try {
        socket.getOutputStream().write(request);
        socket.getOutputStream().flush();
      } catch (IOException e) {
        // the proxy may close before reading everything we wrote; what it answered still counts
      }
      return readAll(socket.getInputStream());
    }
  }

  public static Reply readAll(InputStream in) throws IOException {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    boolean closed;
    try {
      while (true) {
        int n = in.read(buf);
        if (n < 0) {
          closed = true;
          break;
        }
        got.write(buf, 0, n);
      }
    } catch (SocketTimeoutException e) {
      closed = false;
    } catch (IOException e) {
      closed = true; // connection reset counts as closed
    }
    return new Reply(got.toString(StandardCharsets.ISO_8859_1), closed);
  }

  /** Reads exactly one response head (up to the blank line). */
  public static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }
}
