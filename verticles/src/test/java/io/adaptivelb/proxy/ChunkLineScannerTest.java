package io.adaptivelb.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChunkLineScannerTest {

  private static ByteBuf bytes(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0\r\n\r\n", "5\r\nhello\r\n0\r\n\r\n", "5 \t;a=b\r\nhello\r\n00\r\nX-T: v\r\n\r\n",
    "A;x\r\n0123456789\r\n0;last\r\n\r\n"})
  void aBodyWithinTheGrammarEndsWhereItsFramingSays(String body) {
    ChunkLineScanner scanner = new ChunkLineScanner();
    ByteBuf buf = bytes(body + "GET /next");
    assertEquals(body.length(), scanner.scan(buf, 0, buf.readableBytes()));
    assertNull(scanner.rejection());
    assertTrue(scanner.done());
  }

  @Test
  void bytesFedOneAtATimeGiveTheSameVerdict() {
    String body = "3;e\r\nabc\r\n0\r\nT: 1\r\n\r\n";
    ChunkLineScanner scanner = new ChunkLineScanner();
    ByteBuf buf = bytes(body);
    for (int i = 0; i < body.length(); i++) {
      assertFalse(scanner.done(), "ended early at " + i);
      assertEquals(1, scanner.scan(buf, i, 1));
    }
    assertTrue(scanner.done());
    assertNull(scanner.rejection());
  }

  @ParameterizedTest
  @ValueSource(strings = {"0\r\r\n\r\n", "5\nhello\r\n0\r\n\r\n", "5 junk\r\nhello\r\n0\r\n\r\n", "\r\n", ";x\r\n",
    "0000000000000005\r\nhello\r\n0\r\n\r\n", "5\r\nhelloX\r\n", "0\r\nno colon\r\n\r\n", "0\r\n:v\r\n\r\n",
    "0\r\nT: v\nU: w\r\n\r\n", "0\r\nT: v\r\r\n\r\n", "0\r\n\r\r\n", "5;a\u0000\r\nhello\r\n0\r\n\r\n", "0\r\nT: a\rb\r\n\r\n",
    "0\r\nT: a\u0006b\r\n\r\n", "1;x\u0001\r\na\r\n0\r\n\r\n"})
  void aLineOutsideTheGrammarIsRefused(String body) {
    ChunkLineScanner scanner = new ChunkLineScanner();
    ByteBuf buf = bytes(body);
    scanner.scan(buf, 0, buf.readableBytes());
    assertNotNull(scanner.rejection(), () -> "accepted " + body.replace("\r", "\\r").replace("\n", "\\n"));
    assertEquals(400, scanner.rejection().status());
  }

  @Test
  void resetStartsANewBody() {
    ChunkLineScanner scanner = new ChunkLineScanner();
    ByteBuf broken = bytes("zz\r\n");
    scanner.scan(broken, 0, broken.readableBytes());
    assertNotNull(scanner.rejection());
    scanner.reset();
    ByteBuf fine = bytes("0\r\n\r\n");
    assertEquals(5, scanner.scan(fine, 0, 5));
    assertNull(scanner.rejection());
    assertTrue(scanner.done());
  }
}
