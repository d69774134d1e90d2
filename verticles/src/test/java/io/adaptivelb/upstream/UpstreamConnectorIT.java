package io.adaptivelb.upstream;

import io.adaptivelb.TestLab;
import io.adaptivelb.upstream.ConnectorDriver.Exchange;
import io.adaptivelb.upstream.ScriptedBackend.Conn;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.ConnectException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static io.adaptivelb.upstream.ConnectorDriver.await;
import static io.adaptivelb.upstream.ConnectorDriver.settle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The upstream package on real sockets: a scripted backend on 127.0.0.1 writing literal HTTP bytes,
 * counting the TCP connections it accepts, and a connector driven on one event-loop context.
 */
@ExtendWith(VertxExtension.class)
class UpstreamConnectorIT {

  private static String ok(String body) {
    return "HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
  }

  private static String path(String head) {
    return head.substring(head.indexOf(' ') + 1, head.indexOf(' ', head.indexOf(' ') + 1));
  }

  private static String text(int length, char seed) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append((char) (seed + i % 23));
    }
    return sb.toString();
  }

  // 1. persistent mode

  @Test
  void keepAliveReusesOneConnectionAndDeliversContentLengthBodyExactly(Vertx vertx) {
    String part1 = text(70_000, 'a');
    String part2 = text(50_000, 'A');
    String part3 = "tail";
    String body = part1 + part2 + part3;
    try (ScriptedBackend backend = new ScriptedBackend(vertx, (conn, head) -> {
      conn.write("HTTP/1.1 201 Made It\r\nContent-Length: " + body.length() + "\r\nX-Multi: one\r\nX-Multi: two\r\n"
        + "Content-Type: text/plain\r\n\r\n");
      conn.write(part1); // in pieces: the listener gets the body as several chunks
      conn.write(part2);
      conn.write(part3);
    }); ConnectorDriver driver = new ConnectorDriver(vertx, backend.port, ConnectorDriver.options(true))) {
      UpstreamConnection first = driver.acquire();
      Exchange e1 = driver.send(first, HttpMethod.GET, "/one").awaitEnded();
      UpstreamConnection second = driver.acquire();
      Exchange e2 = driver.send(second, HttpMethod.GET, "/two").awaitEnded();

      assertSame(first, second, "the idle connection is handed out again");
      assertEquals(1, backend.accepts(), "two sequential exchanges, one TCP connection");
      assertEquals(2, backend.conn(0).requests.get());
      assertFalse(backend.conn(0).isClosed());
      assertEquals(1, driver.openConnections());
      for (Exchange e : List.of(e1, e2)) {
        HttpResponse head = e.response();
        assertEquals(201, head.status().code());
        assertEquals("Made It", head.status().reasonPhrase());
        assertEquals(HttpVersion.HTTP_1_1, head.protocolVersion());
        assertEquals(List.of("one", "two"), head.headers().getAll("X-Multi"));
        assertEquals("text/plain", head.headers().get("content-type"));
        assertInstanceOf(MultiMap.class, head.headers(), "headers decode into Vert.x's map type");
        assertEquals(body, e.body());
        assertTrue(e.contentCalls > 1, "a " + body.length() + "-byte body arrives in several pieces");
        assertEquals("head 201", e.events.get(0));
        assertEquals("ended", e.events.get(e.events.size() - 1));
        assertEquals(1, e.events.stream().filter("ended"::equals).count());
      }
      assertTrue(backend.heads.get(0).startsWith("GET /one HTTP/1.1\r\n"), backend.heads.get(0));
      assertTrue(backend.heads.get(0).toLowerCase().contains("host: backend.test\r\n"), backend.heads.get(0));
    }
  }

  @Test
  void keepAliveReusesOneConnectionAndDecodesChunkedBodyExactly(Vertx vertx) {
    String big = text(40_000, 'k');
    try (ScriptedBackend backend = new ScriptedBackend(vertx, (conn, head) -> {
      conn.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-Req: " + path(head) + "\r\n\r\n");
      conn.write("5\r\nhello\r\n");
      conn.write("1;ext=1\r\n,\r\n");
      conn.write(Integer.toHexString(big.length()) + "\r\n" + big + "\r\n");
      conn.write("0\r\nX-Trailer: t\r\n\r\n");
    }); ConnectorDriver driver = new ConnectorDriver(vertx, backend.port, ConnectorDriver.options(true))) {
      Exchange e1 = driver.get("/a").awaitEnded();
      Exchange e2 = driver.get("/b").awaitEnded();

      assertEquals(1, backend.accepts(), "chunked responses end cleanly: the connection is reused");
      assertEquals("hello," + big, e1.body());
      assertEquals("hello," + big, e2.body());
      assertEquals("/a", e1.response().headers().get("X-Req"));
      assertEquals("/b", e2.response().headers().get("X-Req"));
      assertEquals(1, e2.events.stream().filter("ended"::equals).count());
    }
  }

  // 2. non-persistent mode

  @Test
  void withoutKeepAliveEveryExchangeOpensAConnectionAndClosesItAfterwards(Vertx vertx) {
    try (ScriptedBackend backend = new ScriptedBackend(vertx, (conn, head) -> conn.write(ok("hi")));
         ConnectorDriver driver = new ConnectorDriver(vertx, backend.port, ConnectorDriver.options(false))) {
      UpstreamConnection first = driver.acquire();
      assertEquals("hi", driver.send(first, HttpMethod.GET, "/1").awaitEnded().body());
      backend.conn(0).awaitClosed(); // the backend did not close; the connector did
      UpstreamConnection second = driver.acquire();
      assertEquals("hi", driver.send(second, HttpMethod.GET, "/2").awaitEnded().body());
      backend.conn(1).awaitClosed();

      assertEquals(2, backend.accepts());
      assertTrue(first != second);
      assertEquals(0, driver.openConnections());
    }
  }

  // 3. the backend refuses another exchange

  @Test
  void connectionCloseFromTheBackendMeansTheNextExchangeOpensANewConnection(Vertx vertx) {
    try (ScriptedBackend backend = new ScriptedBackend(vertx, (conn, head) ->
           conn.write("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok")); // and stays open
         ConnectorDriver driver = new ConnectorDriver(vertx, backend.port, ConnectorDriver.options(true))) {
      assertEquals("ok", driver.get("/1").awaitEnded().body());
      backend.conn(0).awaitClosed();
      assertEquals("ok", driver.get("/2").awaitEnded().body());
      assertEquals(2, backend.accepts());
    }
  }

  @Test
  void http10WithoutKeepAliveMeansTheNextExchangeOpensANewConnection(Vertx vertx) {
    try (ScriptedBackend backend = new ScriptedBackend(vertx, (conn, head) ->
           conn.write("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok"));
         ConnectorDriver driver = new ConnectorDriver(vertx, backend.port, ConnectorDriver.options(true))) {
      assertEquals("ok", driver.get("/1").awaitEnded().body());
      backend.conn(0).awaitClosed();
      assertEquals("ok", driver.get("/2").awaitEnded().body());
      assertEquals(2, backend.accepts());
    }
  }

  @Test
  void http10WithKeepAliveIsReused(Vertx vertx) {
    try (ScriptedBackend backend = new ScriptedBackend(vertx, (conn, head) ->
           conn.write("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok"));
         ConnectorDriver driver = new ConnectorDriver(vertx, backend.port, ConnectorDriver.options(true))) {
      driver.get("/1").awaitEnded();
      driver.get("/2").awaitEnded();
      assertEquals(1, backend.accepts());
    }
  }

  // 4. bound and wait queue

  @Test
  void aWaitingAcquisitionGetsTheBusyConnectionWhenItFreesAndOneMoreIsRefused(Vertx vertx) {
    Map<String, Conn> held = new ConcurrentHashMap<>();
    Promise<Void> firstArrived = Promise.promise();
    try (ScriptedBackend backend = new ScriptedBackend(vertx, (conn, head) -> {
      if (path(head).equals("/hold")) {
        held.put("hold", conn);
        firstArrived.complete();
      } else {
        conn.write(ok("second"));
      }
    }); ConnectorDriver driver = new ConnectorDriver(vertx, backend.port,
      new UpstreamOptions(true, 60_000, 5_000, 4096, 8192, 1, 1))) {
      UpstreamConnection first = driver.acquire();
      Exchange e1 = driver.send(first, HttpMethod.GET, "/hold");
      await(firstArrived.future());

      // The second waits; the third, with the queue full, is refused at once, while the second still waits.
      List<Object> outcome = driver.onLoop(() -> {
        Promise<UpstreamConnection> second = driver.acquireHere();
        Promise<UpstreamConnection> third = driver.acquireHere();
        return List.of(second, third, second.future().isComplete(), third.future().isComplete());
      });
      @SuppressWarnings("unchecked") Future<UpstreamConnection> second = ((Promise<UpstreamConnection>) outcome.get(0)).future();
      @SuppressWarnings("unchecked") Future<UpstreamConnection> third = ((Promise<UpstreamConnection>) outcome.get(1)).future();
      assertEquals(false, outcome.get(2), "the second acquisition waits");
      assertEquals(true, outcome.get(3), "the third is answered at once");
      assertInstanceOf(PoolBusyException.class, third.cause());

      held.get("hold").write(ok("first"));
      assertEquals("first", e1.awaitEnded().body());
      UpstreamConnection got = await(second);
      assertSame(first, got, "the waiter gets the connection the first exchange released");
      assertEquals("second", driver.send(got, HttpMethod.GET, "/next").awaitEnded().body());
      assertEquals(1, backend.accepts());
    }
  }

  @Test
  void bytesAfterAResponseInTheSameReadAreNotTheAnswerOfTheWaiterItsConnectionGoesTo(Vertx vertx) {
    // The pool hands a freed connection to a waiter inline, and the waiter sends at once (as the proxy's
    // exchange does), while the decoder still holds the rest of the read the end came in. A backend that
    // wrote more than its Content-Length said (or a stray response) must not answer a request it has not
    // even received: like bytes arriving on an idle connection, they make the connection unusable.
    Map<String, Conn> held = new ConcurrentHashMap<>();
    Promise<Void> firstArrived = Promise.promise();
    try (ScriptedBackend backend = new ScriptedBackend(vertx, (conn, head) -> {
      if (path(head).equals("/hold")) {
        held.put("hold", conn);
        firstArrived.complete();
      } else {
        conn.write(ok("real answer"));
      }
    }); ConnectorDriver driver = new ConnectorDriver(vertx, backend.port,
      new UpstreamOptions(true, 60_000, 5_000, 4096, 8192, 1, 1))) {
      Exchange e1 = driver.send(driver.acquire(), HttpMethod.GET, "/hold");
      await(firstArrived.future());
      Exchange e2 = new Exchange();
      driver.run(() -> driver.connector.acquire(driver.backendKey, "127.0.0.1", backend.port, new ConnectionRequest() {
        @Override
        public void connected(UpstreamConnection connection) {
          connection.send(ConnectorDriver.request(HttpMethod.GET, "/next"), false, e2);
        }

        @Override
        public void connectFailed(Throwable cause) {
          e2.failed(cause);
        }
      }));

      held.get("hold").write(ok("first") + ok("forged"));
      assertEquals("first", e1.awaitEnded().body());
      assertEquals("real answer", e2.awaitEnded().body());
      held.get("hold").awaitClosed();
    }
  }

  @Test
  void aRequestQueuedBeforeTheConnectorClosesIsStillServed(Vertx vertx) {
    // A mode switch closes the old connector while requests wait in its queue: they drain, not time out.
    Map<String, Conn> held = new ConcurrentHashMap<>();
    Promise<Void> firstArrived = Promise.promise();
    try (ScriptedBackend backend = new ScriptedBackend(vertx, (conn, head) -> {
      if (path(head).equals("/hold")) {
        held.put("hold", conn);
        firstArrived.complete();
      } else {
        conn.write(ok("queued"));
      }
    }); ConnectorDriver driver = new ConnectorDriver(vertx, backend.port,
      new UpstreamOptions(true, 60_000, 60_000, 4096, 8192, 1, 1))) {
      UpstreamConnection first = driver.acquire();
      Exchange e1 = driver.send(first, HttpMethod.GET, "/hold");
      await(firstArrived.future());
      Future<UpstreamConnection> waiting = driver.acquireAsync();
      driver.close();
      held.get("hold").write(ok("first"));
      assertEquals("first", e1.awaitEnded().body());
      UpstreamConnection got = await(waiting); // within the 60 s wait bound: a timeout would fail the await
      assertEquals("queued", driver.send(got, HttpMethod.GET, "/queued").awaitEnded().body());
      backend.conn(0).awaitClosed(); // and with nobody left waiting, the closed connector keeps nothing
    }
  }

  @Test
  void aResponseEndingWhilePausedLeavesTheConnectionReadingForTheNextExchange(Vertx vertx) {
    // The owner pauses at the first body piece (its client is slow), but the rest of the response,
    // the end included, was decoded from the same read and still arrives: the connection must not go
    // back to its pool paused, or the next exchange on it would never read its answer.
    String chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
      + "5\r\nfirst\r\n6\r\nsecond\r\n5\r\nthird\r\n0\r\n\r\n";
    try (ScriptedBackend backend = new ScriptedBackend(vertx, (conn, head) ->
           conn.write(path(head).equals("/paused") ? chunked : ok("next")));
         ConnectorDriver driver = new ConnectorDriver(vertx, backend.port, ConnectorDriver.options(true))) {
      UpstreamConnection connection = driver.acquire();
      Promise<Void> ended = Promise.promise();
      driver.run(() -> connection.send(ConnectorDriver.request(HttpMethod.GET, "/paused"), false, new ResponseListener() {
        @Override
        public void head(HttpResponse head) {
        }

        @Override
        public void content(io.netty.buffer.ByteBuf chunk) {
          chunk.release();
          connection.pauseResponse(); // and never resumed by this owner
        }

        @Override
        public void ended(io.netty.buffer.ByteBuf lastChunk) {
          if (lastChunk != null) {
            lastChunk.release();
          }
          ended.tryComplete();
        }

        @Override
        public void failed(Throwable cause) {
          ended.tryFail(cause);
        }
      }));
      await(ended.future());
      UpstreamConnection again = driver.acquire();
      assertSame(connection, again, "reused");
      assertEquals("next", driver.send(again, HttpMethod.GET, "/next").awaitEnded().body());
    }
  }

  @Test
  void aWithdrawnWaiterHearsNothingAndFreesItsPlaceInTheQueue(Vertx vertx) {
    // A request that gives up while queued (its client left, its deadline passed) must not hold a place.
    Map<String, Conn> held = new ConcurrentHashMap<>();
    Promise<Void> firstArrived = Promise.promise();
    try (ScriptedBackend backend = new ScriptedBackend(vertx, (conn, head) -> {
      if (path(head).equals("/hold")) {
        held.put("hold", conn);
        firstArrived.complete();
      } else {
        conn.write(ok("third"));
      }
    }); ConnectorDriver driver = new ConnectorDriver(vertx, backend.port,
      new UpstreamOptions(true, 60_000, 60_000, 4096, 8192, 1, 1))) {
      Exchange e1 = driver.send(driver.acquire(), HttpMethod.GET, "/hold");
      await(firstArrived.future());
      List<String> heardByWithdrawn = new java.util.concurrent.CopyOnWriteArrayList<>();
      ConnectionRequest withdrawn = new ConnectionRequest() {
        @Override
        public void connected(UpstreamConnection connection) {
          heardByWithdrawn.add("connected");
        }

        @Override
        public void connectFailed(Throwable cause) {
          heardByWithdrawn.add("failed");
        }
      };
      List<Object> outcome = driver.onLoop(() -> {
        driver.connector.acquire(driver.backendKey, "127.0.0.1", backend.port, withdrawn);
        boolean first = driver.connector.withdraw(driver.backendKey, withdrawn);
        boolean again = driver.connector.withdraw(driver.backendKey, withdrawn);
        Promise<UpstreamConnection> third = driver.acquireHere();
        return List.of(first, again, third);
      });
      assertEquals(true, outcome.get(0), "it was queued");
      assertEquals(false, outcome.get(1), "and is no longer");
      @SuppressWarnings("unchecked") Future<UpstreamConnection> third = ((Promise<UpstreamConnection>) outcome.get(2)).future();
      assertFalse(third.isComplete(), "the freed place lets the next request wait instead of being refused");
      held.get("hold").write(ok("first"));
      assertEquals("first", e1.awaitEnded().body());
      assertEquals("third", driver.send(await(third), HttpMethod.GET, "/third").awaitEnded().body());
      assertEquals(List.of(), heardByWithdrawn);
      assertEquals(1, backend.accepts());
    }
  }

  // 5. the wait is bounded

  @Test
  void aWaitingAcquisitionTimesOutWithConnectTimeoutException(Vertx vertx) {
    Promise<Conn> held = Promise.promise();
    try (ScriptedBackend backend = new ScriptedBackend(vertx, (conn, head) -> {
      if (path(head).equals("/hold")) {
        held.complete(conn);
      } else {
        conn.write(ok("again"));
      }
    }); ConnectorDriver driver = new ConnectorDriver(vertx, backend.port,
      new UpstreamOptions(true, 60_000, 200, 4096, 8192, 1, 1))) {
      Exchange e1 = driver.send(driver.acquire(), HttpMethod.GET, "/hold");
      Conn conn = await(held.future());

      AsyncResult<UpstreamConnection> waited = settle(driver.acquireAsync());
      assertTrue(waited.failed());
      assertInstanceOf(ConnectTimeoutException.class, waited.cause());

      conn.write(ok("late"));
      assertEquals("late", e1.awaitEnded().body());
      assertEquals(1, backend.accepts());
      assertEquals(1, driver.openConnections(), "the timed-out waiter left nothing behind; the connection is idle");
      assertEquals("again", driver.get("/again").awaitEnded().body()); // and the pool still serves
      assertEquals(1, backend.accepts());
    }
  }

  // 6. nothing listening

  @Test
  void connectToAClosedPortFails(Vertx vertx) throws Exception {
    try (TestLab.ClosedPort closed = new TestLab.ClosedPort();
         ConnectorDriver driver = new ConnectorDriver(vertx, closed.port(), ConnectorDriver.options(true))) {
      AsyncResult<UpstreamConnection> result = settle(driver.acquireAsync());
      assertTrue(result.failed(), "no connection to a closed port");
      assertNotNull(result.cause());
      assertInstanceOf(ConnectException.class, result.cause());
      assertEquals(0, driver.openConnections());
    }
  }

  @Test
  void aBackendNamedByHostNameIsResolvedAndReached(Vertx vertx) {
    // IP literals skip resolution; a name (container and cluster deployments use them) goes through the resolver.
    try (ScriptedBackend backend = new ScriptedBackend(vertx, (conn, head) -> conn.write(ok("named")));
         ConnectorDriver driver = new ConnectorDriver(vertx, "localhost", backend.port, ConnectorDriver.options(true))) {
      assertEquals("named", driver.get("/").awaitEnded().body());
      assertEquals(1, backend.accepts());
    }
  }

  // 7. informational responses

  @Test
  void informationalResponsesAreSkippedAndTheConnectionStaysUsable(Vertx vertx) {
    try (ScriptedBackend backend = new ScriptedBackend(vertx, (conn, head) -> {
      conn.write("HTTP/1.1 100 Continue\r\n\r\n");
      conn.write("HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n");
      conn.write("HTTP/1.1 200 OK\r\nX-Final: yes\r\nContent-Length: 5\r\n\r\nfinal");
    }); ConnectorDriver driver = new ConnectorDriver(vertx, backend.port, ConnectorDriver.options(true))) {
      Exchange e = driver.get("/x").awaitEnded();
      assertEquals(List.of("head 200", "content", "ended"), e.events, "only the final response's head is heard");
      assertEquals("yes", e.response().headers().get("X-Final"));
      assertEquals("final", e.body());
      driver.get("/y").awaitEnded();
      assertEquals(1, backend.accepts());
    }
  }

  @Test
  void headAfterAnInformationalResponseStillHasNoBody(Vertx vertx) {
    try (ScriptedBackend backend = new ScriptedBackend(vertx, (conn, head) -> {
      if (head.startsWith("HEAD")) {
        conn.write("HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
          + "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n");
      } else {
        conn.write(ok("after"));
      }
    }); ConnectorDriver driver = new ConnectorDriver(vertx, backend.port, ConnectorDriver.options(true))) {
      Exchange e = driver.head("/x").awaitEnded();
      assertEquals(List.of("head 200", "ended"), e.events);
      assertEquals("after", driver.get("/y").awaitEnded().body());
      assertEquals(1, backend.accepts());
    }
  }

  // 8. what is not HTTP

  @Test
  void aStatusLineOverTheLimitFailsTheExchangeAndTheConnectionIsNotReused(Vertx vertx) {
    String reason = "R".repeat(200);
    try (ScriptedBackend backend = new ScriptedBackend(vertx, (conn, head) -> {
      if (conn.index == 0) {
        conn.write("HTTP/1.1 200 " + reason + "\r\nContent-Length: 2\r\n\r\nok");
      } else {
        conn.write(ok("fine"));
      }
    }); ConnectorDriver driver = new ConnectorDriver(vertx, backend.port,
      new UpstreamOptions(true, 60_000, 5_000, 64, 8192, 8, 8))) {
      Exchange e = driver.get("/long");
      assertNotNull(e.awaitFailed());
      assertEquals(List.of("failed"), e.events);
      backend.conn(0).awaitClosed();
      assertEquals("fine", driver.get("/next").awaitEnded().body());
      assertEquals(2, backend.accepts());
    }
  }

  @Test
  void garbageInsteadOfHttpFailsTheExchangeAndTheConnectionIsNotReused(Vertx vertx) {
    try (ScriptedBackend backend = new ScriptedBackend(vertx, (conn, head) -> {
      if (conn.index == 0) {
        conn.write("SSH-2.0-OpenSSH_9.6 banana\r\n\r\n");
      } else {
        conn.write(ok("fine"));
      }
    }); ConnectorDriver driver = new ConnectorDriver(vertx, backend.port, ConnectorDriver.options(true))) {
      Exchange e = driver.get("/garbage");
      assertNotNull(e.awaitFailed());
      assertEquals(List.of("failed"), e.events);
      backend.conn(0).awaitClosed();
      assertEquals("fine", driver.get("/next").awaitEnded().body());
      assertEquals(2, backend.accepts());
    }
  }

  @Test
  void headersOverTheLimitFailTheExchange(Vertx vertx) {
    try (ScriptedBackend backend = new ScriptedBackend(vertx, (conn, head) ->
           conn.write("HTTP/1.1 200 OK\r\nX-Big: " + "b".repeat(2000) + "\r\nContent-Length: 2\r\n\r\nok"));
         ConnectorDriver driver = new ConnectorDriver(vertx, backend.port,
           new UpstreamOptions(true, 60_000, 5_000, 4096, 1024, 8, 8))) {
      Exchange e = driver.get("/big");
      assertNotNull(e.awaitFailed());
      assertEquals(List.of("failed"), e.events);
      backend.conn(0).awaitClosed();
    }
  }

  // 9. the backend leaves mid-body

  @Test
  void theBackendClosingMidBodyFailsTheExchangeAfterItsHead(Vertx vertx) {
    try (ScriptedBackend backend = new ScriptedBackend(vertx, (conn, head) -> {
      if (conn.index == 0) {
        conn.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten b");
        conn.socket.close();
      } else {
        conn.write(ok("fine"));
      }
    }); ConnectorDriver driver = new ConnectorDriver(vertx, backend.port, ConnectorDriver.options(true))) {
      Exchange e = driver.get("/cut");
      assertNotNull(e.awaitFailed());
      assertEquals("head 200", e.events.get(0));
      assertEquals("failed", e.events.get(e.events.size() - 1));
      assertFalse(e.events.contains("ended"), e.events.toString());
      assertEquals("only ten b", e.body());
      assertEquals("fine", driver.get("/next").awaitEnded().body());
      assertEquals(2, backend.accepts());
    }
  }

  @Test
  void theBackendClosingMidChunkedBodyFailsTheExchange(Vertx vertx) {
    try (ScriptedBackend backend = new ScriptedBackend(vertx, (conn, head) -> {
      conn.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
      conn.socket.close();
    }); ConnectorDriver driver = new ConnectorDriver(vertx, backend.port, ConnectorDriver.options(true))) {
      Exchange e = driver.get("/cut");
      assertNotNull(e.awaitFailed());
      assertFalse(e.events.contains("ended"), e.events.toString());
      assertEquals(0, driver.openConnections());
    }
  }

  // 10. HEAD

  @Test
  void headResponseWithContentLengthHasNoBodyAndTheConnectionIsReused(Vertx vertx) {
    try (ScriptedBackend backend = new ScriptedBackend(vertx, (conn, head) -> {
      if (head.startsWith("HEAD")) {
        conn.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n");
      } else {
        conn.write(ok("after head"));
      }
    }); ConnectorDriver driver = new ConnectorDriver(vertx, backend.port, ConnectorDriver.options(true))) {
      Exchange e = driver.head("/h").awaitEnded();
      assertEquals(List.of("head 200", "ended"), e.events);
      assertEquals("100", e.response().headers().get("Content-Length"));
      assertEquals("after head", driver.get("/g").awaitEnded().body());
      assertEquals(1, backend.accepts());
      assertTrue(backend.heads.get(0).startsWith("HEAD /h HTTP/1.1\r\n"));
    }
  }

  // 11. the owner gives up

  @Test
  void abortMidResponseFailsTheListenerOnceAndClosesTheConnection(Vertx vertx) {
    try (ScriptedBackend backend = new ScriptedBackend(vertx, (conn, head) ->
           conn.write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nfirst part")); // and the rest never
         ConnectorDriver driver = new ConnectorDriver(vertx, backend.port, ConnectorDriver.options(true))) {
      UpstreamConnection connection = driver.acquire();
      Exchange e = driver.send(connection, HttpMethod.GET, "/slow");
      e.awaitHead();
      RuntimeException cause = new RuntimeException("owner gave up");
      driver.run(() -> connection.abort(cause));
      assertSame(cause, e.awaitFailed());

      backend.conn(0).awaitClosed();
      backend.conn(0).write("more bytes the listener must not hear");
      driver.run(() -> { }); // anything the loop had queued (the channel going inactive) has run
      assertEquals(1, e.events.stream().filter("failed"::equals).count());
      assertEquals("failed", e.events.get(e.events.size() - 1));
      assertFalse(e.events.contains("ended"));
      assertEquals(0, driver.openConnections());
      driver.run(() -> connection.abort(new RuntimeException("again"))); // a second abort tells nobody
      assertEquals(1, e.events.stream().filter("failed"::equals).count());
    }
  }

  // 12. closing the connector

  @Test
  void closeClosesIdleConnectionsAndLetsAnExchangeUnderWayFinish(Vertx vertx) {
    Map<String, Conn> byPath = new ConcurrentHashMap<>();
    Promise<Void> holdArrived = Promise.promise();
    String body = text(30_000, 'c');
    try (ScriptedBackend backend = new ScriptedBackend(vertx, (conn, head) -> {
      byPath.put(path(head), conn);
      if (path(head).equals("/hold")) {
        holdArrived.complete();
      } else {
        conn.write(ok("quick"));
      }
    }); ConnectorDriver driver = new ConnectorDriver(vertx, backend.port, ConnectorDriver.options(true))) {
      // two connections: acquire both before either is idle
      List<Future<UpstreamConnection>> both = driver.onLoop(() ->
        List.of(driver.acquireHere().future(), driver.acquireHere().future()));
      UpstreamConnection quick = await(both.get(0));
      UpstreamConnection slow = await(both.get(1));
      driver.send(quick, HttpMethod.GET, "/quick").awaitEnded();
      Exchange busy = driver.send(slow, HttpMethod.GET, "/hold");
      await(holdArrived.future());
      assertEquals(2, driver.openConnections());

      driver.run(driver.connector::close);
      byPath.get("/quick").awaitClosed(); // the idle one closes now
      assertFalse(busy.outcome.future().isComplete(), "the exchange under way is undisturbed");
      assertFalse(byPath.get("/hold").isClosed());

      byPath.get("/hold").write("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
      assertEquals(body, busy.awaitEnded().body());
      byPath.get("/hold").awaitClosed(); // and then its connection closes instead of going back
      assertEquals(0, driver.openConnections());

      AsyncResult<UpstreamConnection> after = settle(driver.acquireAsync());
      assertTrue(after.failed(), "a closed connector hands out nothing");
      assertEquals(2, backend.accepts());
    }
  }

  // 13. keep-alive expiry

  @Test
  void anIdleConnectionPastTheKeepAliveTimeoutIsNotHandedOut(Vertx vertx) {
    try (ScriptedBackend backend = new ScriptedBackend(vertx, (conn, head) -> conn.write(ok("k")));
         ConnectorDriver driver = new ConnectorDriver(vertx, backend.port,
           new UpstreamOptions(true, 100, 5_000, 4096, 8192, 8, 8))) {
      UpstreamConnection first = driver.acquire();
      driver.send(first, HttpMethod.GET, "/1").awaitEnded(); // idle from here
      Promise<UpstreamConnection> later = Promise.promise();
      driver.ctx.runOnContext(v -> vertx.setTimer(250, t -> driver.acquireHere().future().onComplete(later)));
      UpstreamConnection second = await(later.future());
      assertTrue(first != second, "the expired connection is not handed out");
      backend.conn(0).awaitClosed();
      driver.send(second, HttpMethod.GET, "/2").awaitEnded();
      assertEquals(2, backend.accepts());
    }
  }

  // a response delimited by the connection closing

  @Test
  void aResponseReadUntilCloseIsNotHandedToAWaiter(Vertx vertx) {
    Promise<Conn> held = Promise.promise();
    try (ScriptedBackend backend = new ScriptedBackend(vertx, (conn, head) -> {
      if (path(head).equals("/hold")) {
        held.complete(conn);
      } else {
        conn.write(ok("fresh"));
      }
    }); ConnectorDriver driver = new ConnectorDriver(vertx, backend.port,
      new UpstreamOptions(true, 60_000, 5_000, 4096, 8192, 1, 1))) {
      Exchange e1 = driver.send(driver.acquire(), HttpMethod.GET, "/hold");
      Conn first = await(held.future());
      Future<UpstreamConnection> waiter = driver.acquireAsync();
      driver.run(() -> { }); // the acquisition is queued
      assertFalse(waiter.isComplete());

      // HTTP/1.1, no Connection: close, neither Content-Length nor chunked: the body ends with the connection
      first.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil close");
      first.socket.close();
      assertEquals("until close", e1.awaitEnded().body());

      UpstreamConnection next = await(waiter);
      Exchange e2 = driver.send(next, HttpMethod.GET, "/next");
      assertEquals("fresh", e2.awaitEnded().body(), "the waiter got a live connection, not the closed one");
      assertEquals(2, backend.accepts());
    }
  }

  @Test
  void aResponseReadUntilCloseLeavesNothingIdle(Vertx vertx) {
    try (ScriptedBackend backend = new ScriptedBackend(vertx, (conn, head) -> {
      if (conn.index == 0) {
        conn.write("HTTP/1.1 200 OK\r\n\r\nuntil close");
        conn.socket.close();
      } else {
        conn.write(ok("fresh"));
      }
    }); ConnectorDriver driver = new ConnectorDriver(vertx, backend.port, ConnectorDriver.options(true))) {
      assertEquals("until close", driver.get("/1").awaitEnded().body());
      driver.run(() -> { });
      assertEquals("fresh", driver.get("/2").awaitEnded().body());
      assertEquals(2, backend.accepts());
    }
  }
}
