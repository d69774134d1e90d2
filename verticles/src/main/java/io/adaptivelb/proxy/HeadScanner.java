package io.adaptivelb.proxy;

import io.netty.util.ByteProcessor;

/**
 * Checks the raw bytes of one request head against RFC 9112's grammar, byte by byte as they are
 * read, for what Netty's decoder accepts leniently or hides once it has parsed the head: several
 * spaces or tabs between request-line parts, control characters in the target, a version other than
 * {@code HTTP/1.0} and {@code HTTP/1.1}, whitespace before a colon, control characters in a field
 * name or value, obs-fold (which Netty silently joins), a bare CR or LF, and too many fields.
 * The first violation is kept; {@link #done()} tells when the blank line ending the head was seen.
 */
final class HeadScanner implements ByteProcessor {

  private enum State { BEFORE_LINE, REQUEST_LINE, REQUEST_LINE_LF, FIELD_START, NAME, VALUE, FIELD_LF, END_LF, DONE }

  private final int maxFields;
  private final StringBuilder requestLine = new StringBuilder(64);
  private State state = State.BEFORE_LINE;
  private int fields;
  /** Characters of the current field's name so far: a field line needs a name before its colon. */
  private int nameLength;
  private RejectedRequest rejection;

  HeadScanner(int maxFields) {
    this.maxFields = maxFields;
  }

  /** Ready for the next request's head on the same connection. */
  void reset() {
    requestLine.setLength(0);
    state = State.BEFORE_LINE;
    fields = 0;
    rejection = null;
  }

  /** {@link #feed} for {@code ByteBuf.forEachByte}, which walks the bytes without a bounds check per byte. */
  @Override
  public boolean process(byte value) {
    return feed(value);
  }

  /** The first violation seen, or null. */
  RejectedRequest rejection() {
    return rejection;
  }

  /** Whether the head has ended (the blank line after the fields). */
  boolean done() {
    return state == State.DONE;
  }

  /** Feeds one byte; returns false once the head is done (the byte after it belongs to the body). */
  boolean feed(byte value) {
    int b = value & 0xFF;
    switch (state) {
      case BEFORE_LINE -> {
        // RFC 9112 §2.2: a server SHOULD ignore at least one empty line before the request line
        if (b == '\r' || b == '\n') {
          return true;
        }
        state = State.REQUEST_LINE;
        return feed(value);
      }
      case REQUEST_LINE -> {
        if (!endsLine(b, State.REQUEST_LINE_LF, "request line must end with CRLF", State.FIELD_START)) {
          requestLine.append((char) b);
        }
      }
      case REQUEST_LINE_LF -> {
        afterCr(b, "bare CR in request line", State.FIELD_START);
        checkRequestLine(requestLine);
      }
      case FIELD_START -> {
        if (b == ' ' || b == '\t') {
          reject(400, fields == 0 ? "whitespace before the first header field" : "obs-fold (line folding) is not allowed");
          state = State.VALUE;
        } else if (!endsLine(b, State.END_LF, "header section must end with CRLF", State.DONE)) {
          if (++fields > maxFields) {
            reject(431, "more than " + maxFields + " header fields");
          }
          state = State.NAME;
          nameLength = 0;
          return feed(value);
        }
      }
      case NAME -> {
        if (b == ':') {
          if (nameLength == 0) {
            reject(400, "a header field line without a name");
          }
          state = State.VALUE;
        } else if (b == ' ' || b == '\t') {
          reject(400, "whitespace between a field name and the colon");
        } else if (!isTchar(b)) {
          reject(400, "invalid character 0x" + Integer.toHexString(b) + " in a field name");
          endsLine(b, State.FIELD_LF, "header line must end with CRLF", State.FIELD_START);
        } else {
          nameLength++;
        }
      }
      case VALUE -> {
        if (!endsLine(b, State.FIELD_LF, "header line must end with CRLF", State.FIELD_START)
          && !(b == '\t' || (b >= 0x20 && b != 0x7F))) {
          reject(400, "control character 0x" + Integer.toHexString(b) + " in a field value");
        }
      }
      case FIELD_LF -> afterCr(b, "bare CR in a header line", State.FIELD_START);
      case END_LF -> afterCr(b, "bare CR ending the header section", State.DONE);
      case DONE -> {
        // the byte belongs to the body, not to the head
      }
      default -> throw new IllegalStateException(state.name());
    }
    return state != State.DONE;
  }

  /**
   * Every line of the head ends with CRLF (RFC 9112 §2.2): a CR moves to {@code afterCr}, where the LF
   * must follow; a bare LF is refused and still taken as the line's end, moving to {@code afterLine}.
   * False when {@code b} ends no line.
   */
  private boolean endsLine(int b, State afterCr, String bareLf, State afterLine) {
    if (b == '\r') {
      state = afterCr;
    } else if (b == '\n') {
      reject(400, bareLf);
      state = afterLine;
    } else {
      return false;
    }
    return true;
  }

  /** The byte after a line's CR: an LF, or the CR was bare. */
  private void afterCr(int b, String bareCr, State next) {
    if (b != '\n') {
      reject(400, bareCr);
    }
    state = next;
  }

  /** {@code method SP request-target SP HTTP-version}, single spaces, visible ASCII only (RFC 9112 §3). */
  private void checkRequestLine(CharSequence line) {
    int sp1 = indexOf(line, ' ', 0);
    int sp2 = sp1 < 0 ? -1 : indexOf(line, ' ', sp1 + 1);
    if (sp1 <= 0 || sp2 < 0 || indexOf(line, ' ', sp2 + 1) >= 0) {
      reject(400, "malformed request line");
      return;
    }
    for (int i = 0; i < sp1; i++) {
      if (!isTchar(line.charAt(i))) {
        reject(400, "invalid character in the method");
        return;
      }
    }
    if (sp2 == sp1 + 1) {
      reject(400, "empty request target");
      return;
    }
    for (int i = sp1 + 1; i < sp2; i++) {
      char c = line.charAt(i);
      if (c <= 0x20 || c >= 0x7F) {
        reject(400, "invalid character 0x" + Integer.toHexString(c) + " in the request target");
        return;
      }
    }
    String version = line.subSequence(sp2 + 1, line.length()).toString();
    if (version.equals("HTTP/1.1") || version.equals("HTTP/1.0")) {
      return;
    }
    if (version.length() == 8 && version.startsWith("HTTP/") && isDigit(version.charAt(5)) && version.charAt(6) == '.'
      && isDigit(version.charAt(7))) {
      reject(505, "HTTP version " + version + " is not supported");
    } else {
      reject(400, "malformed HTTP version");
    }
  }

  private void reject(int status, String reason) {
    if (rejection == null) {
      rejection = new RejectedRequest(status, reason);
    }
  }

  private static int indexOf(CharSequence s, char c, int from) {
    for (int i = from; i < s.length(); i++) {
      if (s.charAt(i) == c) {
        return i;
      }
    }
    return -1;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** RFC 9110 §5.6.2 token characters. */
  static boolean isTchar(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
      || (c < 0x7F && "!#$%&'*+-.^_`|~".indexOf(c) >= 0 && c > 0x20);
  }
}
