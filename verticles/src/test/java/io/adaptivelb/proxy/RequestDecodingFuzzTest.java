package io.adaptivelb.proxy;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.adaptivelb.config.LimitsConfig;
import io.adaptivelb.fuzz.Rfc9112;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.http.HttpServerOptions;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of the client edge's request decoding ({@link StrictRequestDecoder} with
 * {@link HeadScanner} and {@link RequestValidator}, Netty's chunked decoding underneath), against the
 * independent RFC 9112 reading in {@link Rfc9112}. Properties, for any bytes cut into any pieces:
 * nothing throws; a request is passed on only if RFC 9112 accepts it, with the same method, target,
 * version and fields; the body passed on is exactly the body the client framed; and the head as
 * passed on, written out again and decoded again, gives the same request.
 *
 * <p>Without {@code JAZZER_FUZZ} these run the kept inputs under
 * {@code RequestDecodingFuzzTestInputs/} as regression tests; {@code loadtest/fuzz.sh} fuzzes.
 */
class RequestDecodingFuzzTest {

  private static final LimitsConfig LIMITS = new LimitsConfig(8192, 16_384, 100, 1 << 20, 10_000, 30_000, 120,
    10_000, 8192, 16_384);
  private static final HttpServerOptions OPTIONS = ClientEdge.apply(new HttpServerOptions(), LIMITS);

  @FuzzTest(maxDuration = "15s")
  void anyBytes(FuzzedDataProvider data) {
    int[] cuts = {data.consumeInt(0, 80), data.consumeInt(0, 80)};
    check(data.consumeRemainingAsBytes(), cuts);
  }

  /** A well-formed chunked head, then fuzzed chunk framing: the body decoding on its own. */
  @FuzzTest(maxDuration = "15s")
  void chunkedBody(FuzzedDataProvider data) {
    int[] cuts = {data.consumeInt(0, 80), data.consumeInt(0, 80)};
    byte[] head = "POST /upload HTTP/1.1\r\nHost: example\r\nTransfer-Encoding: chunked\r\n\r\n"
      .getBytes(StandardCharsets.US_ASCII);
    byte[] rest = data.consumeRemainingAsBytes();
    byte[] input = Arrays.copyOf(head, head.length + rest.length);
    System.arraycopy(rest, 0, input, head.length, rest.length);
    check(input, cuts);
  }

  /** The strict chunk-line checks refuse what is outside the grammar, not what is inside it. */
  @org.junit.jupiter.api.Test
  void aChunkedBodyWithExtensionsBlankSpaceAndTrailersDecodesWhole() {
    byte[] input = ("POST /fine HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
      + "5 ;name=\"v\"\r\nhello\r\n3\r\nabc\r\n0\r\nX-Sum: 1\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    for (int[] cuts : new int[][] {{0, 0}, {70, 3}, {75, 1}}) {
      Decoded got = decode(input, cuts);
      assertNotNull(got.head, "head refused");
      assertTrue(got.complete, "body not ended");
      assertEquals("helloabc", got.body.toString(StandardCharsets.US_ASCII));
    }
    check(input, new int[] {0, 0});
  }

  private static void check(byte[] input, int[] cuts) {
    Decoded got = decode(input, cuts);
    Rfc9112.Verdict expected = Rfc9112.parse(input);
    if (got.head == null) {
      return; // refused or waiting for more bytes: always allowed
    }
    Rfc9112.Request ref = expected.request();
    assertNotNull(ref, () -> "passed on a request RFC 9112 refuses (" + expected.refusal() + "): " + printable(input));
    assertEquals(ref.method(), got.head.method().name(), "method");
    assertEquals(ref.target(), got.head.uri(), "target");
    assertEquals(ref.version(), got.head.protocolVersion().text(), "version");
    assertEquals(fields(ref), fields(got.head), "fields");
    if (got.complete) {
      assertNotNull(ref.body(), () -> "ended a body RFC 9112 sees as incomplete or broken ("
        + expected.refusal() + "): " + printable(input));
      assertArrayEquals(ref.body(), got.body.toByteArray(), () -> "body framed differently: " + printable(input));
    } else {
      assertTrue(ref.body() == null, () -> "did not end a body the client completed: " + printable(input));
      // (a refused body is fine here: the decoder cut the request, which is what it must do)
    }
    // Written out again as the proxy would forward it, the request decodes to the same thing.
    if (got.complete) {
      byte[] again = serialize(got.head, got.body.toByteArray());
      Decoded second = decode(again, new int[] {0, 0});
      assertNotNull(second.head, () -> "a forwarded request is refused when decoded again: " + printable(again));
      assertEquals(got.head.method(), second.head.method());
      assertEquals(got.head.uri(), second.head.uri());
      assertEquals(fields(got.head), fields(second.head));
      assertTrue(second.complete);
      assertArrayEquals(got.body.toByteArray(), second.body.toByteArray());
    }
  }

  /** The first request the decoder passes on as good, with its body; null head when none. */
  private static Decoded decode(byte[] input, int[] cuts) {
    EmbeddedChannel channel = new EmbeddedChannel();
    channel.pipeline().addLast(new StrictRequestDecoder(OPTIONS, LIMITS, new AtomicInteger(), new ResponseProgress()));
    Decoded result = new Decoded();
    try {
      int from = 0;
      for (int cut : cuts) {
        int to = Math.min(input.length, from + cut);
        if (to > from && channel.isOpen()) { // a refusal closes the connection: nothing more is read
          channel.writeInbound(Unpooled.wrappedBuffer(input, from, to - from));
          from = to;
        }
      }
      if (from < input.length && channel.isOpen()) {
        channel.writeInbound(Unpooled.wrappedBuffer(input, from, input.length - from));
      }
      Object msg;
      boolean first = true;
      while ((msg = channel.readInbound()) != null) {
        try {
          if (msg instanceof HttpRequest request) {
            if (first && request.decoderResult().isSuccess()) {
              result.head = request;
            }
            first = false;
          }
          if (result.head != null && !result.complete && msg instanceof HttpContent content) {
            if (!content.decoderResult().isSuccess()) {
              throw new AssertionError("a failed chunk was passed on");
            }
            ByteBuf bytes = content.content();
            byte[] copy = new byte[bytes.readableBytes()];
            bytes.getBytes(bytes.readerIndex(), copy);
            result.body.write(copy, 0, copy.length);
            if (msg instanceof LastHttpContent) {
              result.complete = true;
            }
          }
        } finally {
          ReferenceCountUtil.release(msg);
        }
      }
    } finally {
      channel.finishAndReleaseAll();
    }
    return result;
  }

  private static byte[] serialize(HttpRequest head, byte[] body) {
    StringBuilder sb = new StringBuilder();
    sb.append(head.method().name()).append(' ').append(head.uri()).append(' ').append(head.protocolVersion().text()).append("\r\n");
    boolean chunked = false;
    for (Map.Entry<String, String> e : head.headers()) {
      if (e.getKey().equalsIgnoreCase("transfer-encoding")) {
        chunked = true;
      }
      sb.append(e.getKey()).append(": ").append(e.getValue()).append("\r\n");
    }
    sb.append("\r\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (chunked) {
      if (body.length > 0) {
        out.writeBytes((Integer.toHexString(body.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(body);
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
      }
      out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    } else {
      out.writeBytes(body);
    }
    return out.toByteArray();
  }

  private static List<String> fields(Rfc9112.Request r) {
    List<String> out = new ArrayList<>();
    r.fields().forEach(f -> out.add(f.name().toLowerCase(Locale.ROOT) + ": " + f.value()));
    return withoutFraming(out);
  }

  private static List<String> fields(HttpRequest r) {
    List<String> out = new ArrayList<>();
    r.headers().forEach(e -> out.add(e.getKey().toLowerCase(Locale.ROOT) + ": " + e.getValue()));
    return withoutFraming(out);
  }

  /** Content-Length is Netty's to drop next to chunked (the decoder refuses that pair anyway). */
  private static List<String> withoutFraming(List<String> fields) {
    fields.removeIf(f -> f.startsWith("content-length: ") && fields.stream().anyMatch(g -> g.startsWith("transfer-encoding: ")));
    return fields;
  }

  static String printable(byte[] input) {
    StringBuilder sb = new StringBuilder();
    for (byte b : input) {
      int c = b & 0xFF;
      if (c >= 0x20 && c < 0x7F && c != '\\') {
        sb.append((char) c);
      } else {
        sb.append(String.format("\\x%02x", c));
      }
    }
    return sb.toString();
  }

  private static final class Decoded {
    HttpRequest head;
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    boolean complete;
  }
}
