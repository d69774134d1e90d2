package io.adaptivelb.protocols;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Headers;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;

/**
 * An HTTP/2 client that writes frames by hand, so a test can send what no real client would: header
 * blocks are HPACK literals in exactly the order and case given (pseudo-headers anywhere, upper-case
 * names, connection-specific fields). Responses are decoded with Netty's HPACK decoder.
 */
final class RawH2 implements AutoCloseable {

  static final int DATA = 0, HEADERS = 1, RST_STREAM = 3, SETTINGS = 4, GOAWAY = 7;
  private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  /** One frame as read. */
  record Frame(int type, int flags, int stream, byte[] payload) {
    boolean endStream() {
      return (flags & 0x1) != 0;
    }
  }

  private final Socket socket;
  private final OutputStream out;
  private final DataInputStream in;
  private final DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false);

  private RawH2(Socket socket) throws IOException {
    this.socket = socket;
    socket.setSoTimeout(10_000);
    this.out = socket.getOutputStream();
    this.in = new DataInputStream(socket.getInputStream());
    out.write(PREFACE);
    frame(SETTINGS, 0, 0, new byte[0]);
  }

  /** Over TLS with ALPN h2, trusting {@code ca}. */
  static RawH2 tls(int port, Path ca) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream pem = Files.newInputStream(ca)) {
      trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(pem));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("localhost", port);
    SSLParameters params = socket.getSSLParameters();
    params.setApplicationProtocols(new String[]{"h2"});
    socket.setSSLParameters(params);
    socket.startHandshake();
    if (!"h2".equals(socket.getApplicationProtocol())) {
      throw new IOException("ALPN gave " + socket.getApplicationProtocol());
    }
    return new RawH2(socket);
  }

  /** Plain TCP, HTTP/2 from the first byte (h2c with prior knowledge). */
  static RawH2 priorKnowledge(int port) throws Exception {
    return new RawH2(new Socket("127.0.0.1", port));
  }

  /**
   * A HEADERS frame with END_HEADERS; {@code fields} alternate name and value, each sent as a literal
   * without indexing with a new name (RFC 7541 §6.2.2), strings not Huffman-coded.
   */
  void headers(int stream, boolean endStream, String... fields) throws IOException {
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    for (int i = 0; i < fields.length; i += 2) {
      block.write(0);
      string(block, fields[i]);
      string(block, fields[i + 1]);
    }
    frame(HEADERS, 0x4 | (endStream ? 0x1 : 0), stream, block.toByteArray());
  }

  private static void string(ByteArrayOutputStream block, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.US_ASCII);
    if (bytes.length >= 127) {
      throw new IllegalArgumentException("test strings stay under 127 bytes (one-byte length prefix)");
    }
    block.write(bytes.length);
    block.writeBytes(bytes);
  }

  void data(int stream, boolean endStream, byte[] bytes) throws IOException {
    frame(DATA, endStream ? 0x1 : 0, stream, bytes);
  }

  private void frame(int type, int flags, int stream, byte[] payload) throws IOException {
    byte[] head = {(byte) (payload.length >>> 16), (byte) (payload.length >>> 8), (byte) payload.length,
      (byte) type, (byte) flags, (byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8), (byte) stream};
    out.write(head);
    out.write(payload);
    out.flush();
  }

  /** The next frame, answering the server's SETTINGS and skipping window updates and pings. */
  Frame next() throws IOException {
    while (true) {
      int length = in.readUnsignedByte() << 16 | in.readUnsignedByte() << 8 | in.readUnsignedByte();
      int type = in.readUnsignedByte();
      int flags = in.readUnsignedByte();
      int stream = in.readInt() & 0x7fffffff;
      byte[] payload = new byte[length];
      in.readFully(payload);
      if (type == SETTINGS) {
        if ((flags & 0x1) == 0) {
          frame(SETTINGS, 0x1, 0, new byte[0]);
        }
        continue;
      }
      if (type == 8 || type == 6) { // WINDOW_UPDATE, PING
        continue;
      }
      return new Frame(type, flags, stream, payload);
    }
  }

  /** The response headers (or reset, or goaway) for {@code stream}: frames of other streams are skipped. */
  Frame answerTo(int stream) throws IOException {
    while (true) {
      Frame f = next();
      if (f.type() == GOAWAY || f.stream() == stream && (f.type() == HEADERS || f.type() == RST_STREAM)) {
        return f;
      }
    }
  }

  /** The RST_STREAM of {@code stream} (or a GOAWAY), skipping every other frame: its answer's DATA too. */
  Frame resetOf(int stream) throws IOException {
    while (true) {
      Frame f = next();
      if (f.type() == GOAWAY || f.stream() == stream && f.type() == RST_STREAM) {
        return f;
      }
    }
  }

  /** The error code of a RST_STREAM or GOAWAY frame (RFC 9113 §7: 0 NO_ERROR, 1 PROTOCOL_ERROR, 8 CANCEL...). */
  static long errorCode(Frame frame) {
    int at = frame.type() == GOAWAY ? 4 : 0;
    return java.nio.ByteBuffer.wrap(frame.payload(), at, 4).getInt() & 0xffffffffL;
  }

  Http2Headers decode(Frame headers) throws Exception {
    ByteBuf block = Unpooled.wrappedBuffer(headers.payload());
    int padding = 0;
    if ((headers.flags() & 0x8) != 0) { // PADDED
      padding = block.readUnsignedByte();
    }
    if ((headers.flags() & 0x20) != 0) { // PRIORITY: stream dependency and weight before the block
      block.skipBytes(5);
    }
    return decoder.decodeHeaders(headers.stream(), block.slice(block.readerIndex(), block.readableBytes() - padding));
  }

  /** The body of {@code stream} up to END_STREAM (its HEADERS already read). */
  byte[] body(int stream) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      Frame f = next();
      if (f.stream() != stream) {
        continue;
      }
      if (f.type() == DATA) {
        body.writeBytes(f.payload());
        if (f.endStream()) {
          return body.toByteArray();
        }
      } else if (f.type() == RST_STREAM || f.type() == GOAWAY) {
        throw new EOFException("stream ended by frame type " + f.type());
      }
    }
  }

  static List<String> request(String method, String path, String authority) {
    return List.of(":method", method, ":scheme", "https", ":path", path, ":authority", authority);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
