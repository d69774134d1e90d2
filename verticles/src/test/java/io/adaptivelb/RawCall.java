package io.adaptivelb;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One HTTP call over a plain socket, headers exactly as given: a browser's {@code Origin} and a
 * rebound {@code Host} are what the dashboard's guard tests send, and Java's HTTP client refuses to set
 * {@code Host}.
 */
public final class RawCall {

  public record Answer(int status, String body) {
  }

  private final String method;
  private final String path;
  private final int port;
  private final Map<String, String> headers = new LinkedHashMap<>();
  private String body = "";

  public RawCall(String method, String path, int port) {
    this.method = method;
    this.path = path;
    this.port = port;
    headers.put("Host", "127.0.0.1:" + port);
  }

  public RawCall header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  public RawCall body(String contentType, String text) {
    headers.put("Content-Type", contentType);
    body = text;
    return this;
  }

  public Answer send() throws IOException {
    byte[] content = body.getBytes(StandardCharsets.UTF_8);
    StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
    headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
    head.append("Content-Length: ").append(content.length).append("\r\nConnection: close\r\n\r\n");
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
      out.write(content);
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      in.transferTo(all);
      String response = all.toString(StandardCharsets.UTF_8);
      int status = Integer.parseInt(response.substring("HTTP/1.1 ".length(), "HTTP/1.1 ".length() + 3));
      int bodyStart = response.indexOf("\r\n\r\n");
      return new Answer(status, bodyStart < 0 ? "" : response.substring(bodyStart + 4));
    }
  }

  /**
   * Sends this call as a WebSocket upgrade (GET, its headers, a fresh key) and returns the status of the
   * answer's head, 101 when upgraded; the connection is closed right after the head.
   */
  public int upgradeStatus() throws IOException {
    StringBuilder head = new StringBuilder("GET " + path + " HTTP/1.1\r\n");
    headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
    head.append("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n")
      .append("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder answer = new StringBuilder();
      int b;
      while (answer.indexOf("\r\n\r\n") < 0 && (b = in.read()) >= 0) {
        answer.append((char) b);
      }
      return Integer.parseInt(answer.substring("HTTP/1.1 ".length(), "HTTP/1.1 ".length() + 3));
    }
  }
}
