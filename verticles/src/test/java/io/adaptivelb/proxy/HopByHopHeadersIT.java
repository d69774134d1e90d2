package io.adaptivelb.proxy;

import io.adaptivelb.RawHttp;
import io.adaptivelb.TestLab;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RFC 9110 §7.6.1 both ways, seen on the wire: a raw backend records the request head it got and
 * answers with hop-by-hop headers of its own; a raw client sends hop-by-hop headers and reads the head.
 */
@ExtendWith(VertxExtension.class)
class HopByHopHeadersIT {

  private static final String BACKEND_RESPONSE = """
    HTTP/1.1 200 OK\r
    Content-Length: 2\r
    Connection: X-Backend-Secret\r
    X-Backend-Secret: hidden\r
    Keep-Alive: timeout=5\r
    Proxy-Authenticate: Basic\r
    X-End-To-End: kept\r
    \r
    ok""";

  @Test
  void hopByHopHeadersAreStrippedBothWaysAndForwardingHeadersAdded(Vertx vertx) throws Exception {
    Promise<String> seenByBackend = Promise.promise();
    NetServer backend = vertx.createNetServer().connectHandler(socket -> {
      Buffer head = Buffer.buffer();
      socket.handler(chunk -> {
        head.appendBuffer(chunk);
        if (head.toString().contains("\r\n\r\n")) {
          seenByBackend.tryComplete(head.toString());
          socket.write(BACKEND_RESPONSE);
        }
      });
    });
    int port = backend.listen(0, "127.0.0.1").await(5, TimeUnit.SECONDS).actualPort();
    try (TestLab lab = new TestLab().upstream("raw", port).proxy("via", true).start(vertx);
         Socket client = new Socket("127.0.0.1", lab.lab().proxyPort())) {
      client.setSoTimeout(RawHttp.READ_TIMEOUT_MS);
      OutputStream out = client.getOutputStream();
      out.write(("""
        GET /headers HTTP/1.1\r
        Host: shop.example\r
        Connection: keep-alive, X-Client-Secret\r
        X-Client-Secret: hidden\r
        Keep-Alive: timeout=10\r
        TE: trailers\r
        Proxy-Authorization: Basic Zm9vOmJhcg==\r
        Upgrade: websocket\r
        X-Forwarded-For: 203.0.113.9\r
        X-End-To-End: kept\r
        \r
        """).getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String response = RawHttp.readHead(client.getInputStream()).toLowerCase();
      String request = seenByBackend.future().await(10, TimeUnit.SECONDS).toLowerCase();

      assertFalse(request.contains("x-client-secret"), request);
      assertFalse(request.contains("keep-alive: timeout"), request);
      assertFalse(request.contains("\nte:"), request);
      assertFalse(request.contains("proxy-authorization"), request);
      assertFalse(request.contains("upgrade"), request);
      assertTrue(request.contains("x-end-to-end: kept"), request);
      assertTrue(request.contains("host: shop.example"), request);
      assertTrue(request.contains("x-forwarded-for: 203.0.113.9, 127.0.0.1"), request);
      assertTrue(request.contains("x-forwarded-proto: http"), request);
      assertTrue(request.contains("x-forwarded-host: shop.example"), request);
      assertTrue(request.contains("via: 1.1 adaptive-lb"), request);

      assertTrue(response.startsWith("http/1.1 200"), response);
      assertFalse(response.contains("x-backend-secret"), response);
      assertFalse(response.contains("keep-alive: timeout"), response);
      assertFalse(response.contains("proxy-authenticate"), response);
      assertTrue(response.contains("x-end-to-end: kept"), response);
      assertTrue(response.contains("via: 1.1 adaptive-lb"), response);
    } finally {
      backend.close().await(5, TimeUnit.SECONDS);
    }
  }
}
