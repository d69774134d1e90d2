package io.adaptivelb.edge;

import io.adaptivelb.RawHttp;
import io.adaptivelb.TestLab;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static io.adaptivelb.TestLab.constant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RFC 9112 request parsing at the edge, one case per test, on raw sockets: each bad request gets
 * exactly one answer with its status, the connection is closed, and nothing of it reaches the backend
 * (a control request afterwards is the only one the backend counts).
 */
class StrictParsingIT {

  private static Vertx vertx;
  private static TestLab lab;
  private static int port;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    lab = new TestLab().backend("b", constant(0)).start(vertx);
    port = lab.lab().proxyPort();
  }

  @AfterAll
  static void stop() throws Exception {
    lab.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** Sends the request, checks the single answer and the close, then proves the backend never saw it. */
  private static RawHttp.Reply assertRefused(int status, String request) throws Exception {
    long before = lab.served("b");
    RawHttp.Reply reply = RawHttp.send(port, request);
    assertEquals(status, reply.status(), reply.text());
    assertEquals(1, reply.statuses().size(), "exactly one response: " + reply.text());
    assertTrue(reply.closed(), "connection closed after " + status);
    assertTrue(reply.text().toLowerCase().contains("connection: close"), reply.text());
    RawHttp.Reply control = RawHttp.send(port, "GET /control HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    assertEquals(200, control.status(), control.text());
    assertEquals(before + 1, lab.served("b"), "only the control request reached the backend");
    return reply;
  }

  @Test
  void aValidRequestIsForwarded() throws Exception {
    RawHttp.Reply reply = RawHttp.send(port, "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    assertEquals(200, reply.status(), reply.text());
  }

  @Test
  void contentLengthWithTransferEncodingIs400() throws Exception {
    assertRefused(400, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nhello");
  }

  @Test
  void transferEncodingBeforeContentLengthIs400() throws Exception {
    assertRefused(400, "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
  }

  @Test
  void twoDifferentContentLengthsAre400() throws Exception {
    assertRefused(400, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!");
  }

  @Test
  void repeatedContentLengthIs400() throws Exception {
    assertRefused(400, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello");
  }

  @Test
  void contentLengthListIs400() throws Exception {
    assertRefused(400, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\n\r\nhello");
  }

  @Test
  void contentLengthWithPlusSignIs400() throws Exception {
    assertRefused(400, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\nhello");
  }

  @Test
  void negativeContentLengthIs400() throws Exception {
    assertRefused(400, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -5\r\n\r\nhello");
  }

  @Test
  void contentLengthWithInnerSpaceIs400() throws Exception {
    assertRefused(400, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5 5\r\n\r\nhello");
  }

  @Test
  void contentLengthOverflowIs400() throws Exception {
    assertRefused(400, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999\r\n\r\nhello");
  }

  @Test
  void hexContentLengthIs400() throws Exception {
    assertRefused(400, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x5\r\n\r\nhello");
  }

  @Test
  void obfuscatedXchunkedIs501() throws Exception {
    assertRefused(501, "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
  }

  @Test
  void chunkedTwiceIs400() throws Exception {
    assertRefused(400, "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
  }

  @Test
  void chunkedInTwoHeaderLinesIs400() throws Exception {
    assertRefused(400, "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
  }

  @Test
  void gzipTransferCodingIs501() throws Exception {
    assertRefused(501, "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
  }

  @Test
  void chunkedNotFinalIs501() throws Exception {
    assertRefused(501, "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
  }

  @Test
  void emptyTransferCodingElementIs400() throws Exception {
    assertRefused(400, "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: ,chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
  }

  @Test
  void transferEncodingInHttp10Is400() throws Exception {
    assertRefused(400, "POST / HTTP/1.0\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
  }

  @Test
  void spaceBeforeColonIs400() throws Exception {
    assertRefused(400, "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding : chunked\r\nContent-Length: 5\r\n\r\nhello");
  }

  @Test
  void tabBeforeColonIs400() throws Exception {
    assertRefused(400, "GET / HTTP/1.1\r\nHost: a\r\nX-Foo\t: bar\r\n\r\n");
  }

  @Test
  void nulInValueIs400() throws Exception {
    assertRefused(400, "GET / HTTP/1.1\r\nHost: a\r\nX-Foo: b\0ar\r\n\r\n");
  }

  @Test
  void bareCrInValueIs400() throws Exception {
    assertRefused(400, "GET / HTTP/1.1\r\nHost: a\r\nX-Foo: b\rX-Injected: 1\r\n\r\n");
  }

  @Test
  void bareLfInsideHeadIs400() throws Exception {
    assertRefused(400, "GET / HTTP/1.1\r\nHost: a\nX-Foo: bar\r\n\r\n");
  }

  @Test
  void controlCharacterInValueIs400() throws Exception {
    assertRefused(400, "GET / HTTP/1.1\r\nHost: a\r\nX-Foo: b\u0001ar\r\n\r\n");
  }

  @Test
  void deleteCharacterInValueIs400() throws Exception {
    assertRefused(400, "GET / HTTP/1.1\r\nHost: a\r\nX-Foo: b\u007far\r\n\r\n");
  }

  @Test
  void nulInNameIs400() throws Exception {
    assertRefused(400, "GET / HTTP/1.1\r\nHost: a\r\nX-F\0oo: bar\r\n\r\n");
  }

  @Test
  void controlCharacterInNameIs400() throws Exception {
    assertRefused(400, "GET / HTTP/1.1\r\nHost: a\r\nX-F\u0001oo: bar\r\n\r\n");
  }

  @Test
  void separatorInNameIs400() throws Exception {
    assertRefused(400, "GET / HTTP/1.1\r\nHost: a\r\nX(Foo): bar\r\n\r\n");
  }

  @Test
  void fieldLineWithoutANameIs400() throws Exception {
    assertRefused(400, "GET / HTTP/1.1\r\nHost: a\r\n: bar\r\n\r\n");
  }

  @Test
  void obsFoldIs400() throws Exception {
    assertRefused(400, "GET / HTTP/1.1\r\nHost: a\r\nX-Foo: bar\r\n baz\r\n\r\n");
  }

  @Test
  void obsFoldWithTabIs400() throws Exception {
    assertRefused(400, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding:\r\n\tchunked\r\n\r\nhello");
  }

  @Test
  void whitespaceBeforeFirstHeaderIs400() throws Exception {
    assertRefused(400, "GET / HTTP/1.1\r\n Host: a\r\n\r\n");
  }

  @Test
  void missingHostInHttp11Is400() throws Exception {
    assertRefused(400, "GET / HTTP/1.1\r\n\r\n");
  }

  @Test
  void repeatedHostIs400() throws Exception {
    assertRefused(400, "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n");
  }

  @Test
  void malformedHostIs400() throws Exception {
    assertRefused(400, "GET / HTTP/1.1\r\nHost: a/b@c\r\n\r\n");
  }

  @Test
  void absoluteFormDisagreeingWithHostIs400() throws Exception {
    assertRefused(400, "GET http://other.example/ HTTP/1.1\r\nHost: a\r\n\r\n");
  }

  @Test
  void absoluteFormAgreeingWithHostIsForwarded() throws Exception {
    RawHttp.Reply reply = RawHttp.send(port, "GET http://A:80/x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    assertEquals(200, reply.status(), reply.text());
  }

  @Test
  void httpVersion10WithoutHostIsForwarded() throws Exception {
    RawHttp.Reply reply = RawHttp.send(port, "GET / HTTP/1.0\r\n\r\n");
    assertEquals(200, reply.status(), reply.text());
  }

  @Test
  void absoluteFormInHttp10WithoutHostIsForwarded() throws Exception {
    RawHttp.Reply reply = RawHttp.send(port, "GET http://a/x HTTP/1.0\r\n\r\n");
    assertEquals(200, reply.status(), reply.text());
  }

  @Test
  void twoSpacesInRequestLineAre400() throws Exception {
    assertRefused(400, "GET  / HTTP/1.1\r\nHost: a\r\n\r\n");
  }

  @Test
  void tabInRequestLineIs400() throws Exception {
    assertRefused(400, "GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n");
  }

  @Test
  void missingVersionIs400() throws Exception {
    assertRefused(400, "GET /\r\nHost: a\r\n\r\n");
  }

  @Test
  void extraRequestLinePartIs400() throws Exception {
    assertRefused(400, "GET / HTTP/1.1 x\r\nHost: a\r\n\r\n");
  }

  @Test
  void invalidMethodCharacterIs400() throws Exception {
    assertRefused(400, "G(ET / HTTP/1.1\r\nHost: a\r\n\r\n");
  }

  @Test
  void controlCharacterInTargetIs400() throws Exception {
    assertRefused(400, "GET /a\u0001b HTTP/1.1\r\nHost: a\r\n\r\n");
  }

  @Test
  void targetWithoutSlashIs400() throws Exception {
    assertRefused(400, "GET index.html HTTP/1.1\r\nHost: a\r\n\r\n");
  }

  @Test
  void lowercaseVersionIs400() throws Exception {
    assertRefused(400, "GET / http/1.1\r\nHost: a\r\n\r\n");
  }

  @Test
  void malformedVersionIs400() throws Exception {
    RawHttp.Reply reply = assertRefused(400, "GET / HTTP/1.10\r\nHost: a\r\n\r\n");
    assertTrue(reply.text().startsWith("HTTP/1.1 400"), reply.text());
  }

  @Test
  void unsupportedVersionIs505() throws Exception {
    RawHttp.Reply reply = assertRefused(505, "GET / HTTP/2.0\r\nHost: a\r\n\r\n");
    assertTrue(reply.text().startsWith("HTTP/1.1 505"), "never echoes the client's version: " + reply.text());
  }

  @Test
  void bareLfLineEndingsAre400() throws Exception {
    assertRefused(400, "GET / HTTP/1.1\nHost: a\n\n");
  }

  @Test
  void connectIs501() throws Exception {
    assertRefused(501, "CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n");
  }

  @Test
  void unknownExpectationIs417() throws Exception {
    assertRefused(417, "POST / HTTP/1.1\r\nHost: a\r\nExpect: 200-ok\r\nContent-Length: 5\r\n\r\nhello");
  }

  @Test
  void h2cUpgradeIsNotHonoured() throws Exception {
    RawHttp.Reply reply = RawHttp.send(port, "GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, HTTP2-Settings, close\r\n"
      + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n\r\n");
    assertEquals(200, reply.status(), "answered over HTTP/1.1, never switched: " + reply.text());
  }

  @Test
  void badRequestFollowedByGoodOneOnTheSameConnectionGetsExactlyOne400() throws Exception {
    long before = lab.served("b");
    RawHttp.Reply reply = RawHttp.send(port, "GET / HTTP/1.1\r\nHost: a\r\nX-Foo: bar\r\n baz\r\n\r\n"
      + "GET /second HTTP/1.1\r\nHost: a\r\n\r\n");
    assertEquals(java.util.List.of(400), reply.statuses(), reply.text());
    assertTrue(reply.closed());
    assertEquals(before, lab.served("b"));
    RawHttp.Reply control = RawHttp.send(port, "GET /control HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    assertEquals(200, control.status());
    assertEquals(before + 1, lab.served("b"), "the pipelined second request never reached the backend");
  }

  @Test
  void smuggledRequestInsideABodyIsNeverSeenAsARequest() throws Exception {
    long before = lab.served("b");
    // CL.TE smuggling attempt: a front end honouring Content-Length would pass the "GET /smuggled" on.
    RawHttp.Reply reply = RawHttp.send(port, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 35\r\nTransfer-Encoding: chunked\r\n\r\n"
      + "0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n");
    assertEquals(java.util.List.of(400), reply.statuses(), reply.text());
    assertEquals(before, lab.served("b"));
  }

  @Test
  void keepAliveStillServesSeveralRequestsOnOneConnection() throws Exception {
    RawHttp.Reply reply = RawHttp.send(port, "GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n"
      + "POST /3 HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello\r\n"
      + "GET /4 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    assertEquals(java.util.List.of(200, 200, 200, 200), reply.statuses(), reply.text());
  }
}
