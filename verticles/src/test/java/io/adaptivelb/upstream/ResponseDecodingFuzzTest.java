package io.adaptivelb.upstream;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.handler.codec.http.HttpMethod;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of the upstream client's response decoding, on a real loopback socket: a
 * raw server answers every request with the fuzzer's bytes and closes. Properties: every exchange ends
 * exactly once, ended or failed, with its callbacks in order (head, pieces, end); a response to HEAD
 * has no body; a response that declares one valid Content-Length and ends cleanly delivered exactly that
 * many bytes (a shorter one must fail, never look complete).
 */
class ResponseDecodingFuzzTest {

  private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^content-length[ \\t]*:[ \\t]*(\\d{1,9})[ \\t]*\\r?$");

  private static Vertx vertx;
  private static NetServer server;
  private static ConnectorDriver driver;
  private static final AtomicReference<byte[]> ANSWER = new AtomicReference<>(new byte[0]);

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    server = vertx.createNetServer().connectHandler(socket -> {
      Buffer seen = Buffer.buffer();
      socket.handler(bytes -> {
        boolean first = seen.length() == 0 || !seen.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n");
        seen.appendBuffer(bytes);
        if (first && seen.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
          socket.end(Buffer.buffer(ANSWER.get()));
        }
      });
    });
    ConnectorDriver.await(server.listen(0, "127.0.0.1"));
    driver = new ConnectorDriver(vertx, server.actualPort(), ConnectorDriver.options(true));
  }

  @AfterAll
  static void stop() {
    driver.close();
    ConnectorDriver.await(vertx.close());
  }

  @FuzzTest(maxDuration = "15s")
  void anyResponse(FuzzedDataProvider data) {
    boolean head = data.consumeBoolean();
    byte[] answer = data.consumeRemainingAsBytes();
    ANSWER.set(answer);
    UpstreamConnection connection = driver.acquire();
    ConnectorDriver.Exchange exchange = driver.send(connection, head ? HttpMethod.HEAD : HttpMethod.GET, "/");
    AsyncResult<Void> outcome = settle(exchange);
    List<String> events = exchange.events;
    String last = events.isEmpty() ? "" : events.get(events.size() - 1);
    assertTrue(last.equals("ended") || last.equals("failed"), () -> "no end: " + events);
    assertEquals(1, events.stream().filter(e -> e.equals("ended") || e.equals("failed")).count(), () -> "ends: " + events);
    if (outcome.succeeded()) {
      assertTrue(events.get(0).startsWith("head "), () -> "ended without a head: " + events);
      String text = new String(answer, StandardCharsets.ISO_8859_1);
      if (head) {
        assertEquals("", exchange.body(), "a response to HEAD has no body");
      } else {
        Integer declared = singleContentLength(text, exchange);
        if (declared != null) {
          assertEquals((int) declared, exchange.body().length(), () -> "body length against Content-Length: " + events);
        }
      }
    }
  }

  /**
   * Waits for the exchange to end either way. The server closes after its answer, so every exchange
   * must end; the bound only tells a hang from a slow, heavily instrumented run on a busy machine.
   */
  private static AsyncResult<Void> settle(ConnectorDriver.Exchange exchange) {
    try {
      return exchange.outcome.future().<AsyncResult<Void>>transform(Future::succeededFuture).await(2, TimeUnit.MINUTES);
    } catch (TimeoutException e) {
      throw new AssertionError("the exchange never ended: " + exchange.events, e);
    }
  }

  /**
   * The one Content-Length of the final response when it is unambiguous and the response can have a
   * body (not 1xx, 204, 304, not chunked); null otherwise.
   */
  private static Integer singleContentLength(String text, ConnectorDriver.Exchange exchange) {
    int code = exchange.response().status().code();
    if (code == 204 || code == 304 || exchange.response().headers().contains("transfer-encoding")) {
      return null;
    }
    String final0 = text;
    int status = final0.indexOf("HTTP/1.1 " + code);
    if (status < 0) {
      status = final0.indexOf("HTTP/1.0 " + code);
    }
    if (status < 0 || final0.indexOf("\r\n\r\n", status) < 0) {
      return null;
    }
    String headers = final0.substring(status, final0.indexOf("\r\n\r\n", status)).toLowerCase(Locale.ROOT);
    Matcher m = CONTENT_LENGTH.matcher(headers);
    Integer found = null;
    while (m.find()) {
      if (found != null) {
        return null;
      }
      found = Integer.parseInt(m.group(1));
    }
    return found;
  }
}
