package io.adaptivelb;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One GET with a Host header of the test's choosing, over a plain socket: Java's HttpClient refuses
 * to set Host unless a system property is set before its first use, which a test cannot guarantee.
 */
public final class HostRequest {

  private HostRequest() {
  }

  /** The body of a 200 answer (anything else fails the test). */
  public static String get(int port, String host, String target) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(("GET " + target + " HTTP/1.1\r\nHost: " + (host == null ? "127.0.0.1:" + port : host)
        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      in.transferTo(all);
      String response = all.toString(StandardCharsets.UTF_8);
      int split = response.indexOf("\r\n\r\n");
      if (!response.startsWith("HTTP/1.1 200 ") || split < 0) {
        throw new AssertionError("not a 200 answer to " + target + " for " + host + ":\n" + response);
      }
      return response.substring(split + 4);
    }
  }
}
