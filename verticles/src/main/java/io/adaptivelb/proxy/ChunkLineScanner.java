package io.adaptivelb.proxy;

import io.netty.buffer.ByteBuf;

/**
 * Follows a chunked body's framing on the raw bytes Netty's decoder consumed, for what that decoder
 * accepts leniently in the lines between the data: a chunk-size line ends at a bare CR or LF
 * ({@code 0\r\r\n} reads as size 0), the size may be followed by anything after whitespace
 * ({@code 5 junk}), and trailer lines are parsed as headers without the head's checks. A front proxy
 * that frames such a body differently from us is the start of request smuggling, so the grammar of
 * RFC 9112 §7.1 is enforced here: 1 to 15 hex digits (more could overflow a long), optional blank space
 * then {@code ;} and an extension, CRLF; the data, then CRLF; after the last chunk, trailer field lines
 * and the blank line, each ending in CRLF. No NUL, bare CR or bare LF in any line, no other control
 * character than HTAB in an extension or a trailer value. The chunk data
 * itself is counted, not read.
 *
 * <p>The first violation is kept; {@link #done()} tells when the blank line ending the body was seen.
 */
final class ChunkLineScanner {

  private enum State { SIZE, SIZE_BLANK, EXTENSION, SIZE_LF, DATA, DATA_CR, DATA_LF, TRAILER_START, TRAILER_NAME, TRAILER_VALUE, TRAILER_LF, END_LF, DONE }

  private static final int MAX_SIZE_DIGITS = 15;

  private State state = State.SIZE;
  private int digits;
  private long size;
  private long dataLeft;
  private RejectedRequest rejection;

  /** Ready for the next chunked body on the same connection. */
  void reset() {
    state = State.SIZE;
    digits = 0;
    size = 0;
    dataLeft = 0;
    rejection = null;
  }

  /** The first violation seen, or null. */
  RejectedRequest rejection() {
    return rejection;
  }

  /** Whether the body has ended (the blank line after the last chunk and its trailers). */
  boolean done() {
    return state == State.DONE;
  }

  /**
   * Scans {@code length} bytes of {@code buf} from {@code from}; returns how many belong to this body
   * (fewer when it ended or broke its framing inside them). Chunk data is skipped, not read.
   */
  int scan(ByteBuf buf, int from, int length) {
    int i = from;
    int end = from + length;
    while (i < end && state != State.DONE) {
      if (state == State.DATA) {
        long skip = Math.min(dataLeft, end - i);
        i += (int) skip;
        dataLeft -= skip;
        if (dataLeft == 0) {
          state = State.DATA_CR;
        }
      } else {
        feed(buf.getByte(i++) & 0xFF);
      }
    }
    return i - from;
  }

  private boolean feed(int b) {
    switch (state) {
      case DATA_CR -> {
        return b == '\r' ? next(State.DATA_LF) : refuse("chunk data not followed by CRLF");
      }
      case DATA_LF -> {
        return b == '\n' ? next(State.SIZE) : refuse("chunk data not followed by CRLF");
      }
      case DONE -> {
        return false;
      }
      default -> {
        if (b == 0) {
          return refuse("NUL in a chunk line");
        }
        if (b == '\n' && state != State.SIZE_LF && state != State.TRAILER_LF && state != State.END_LF) {
          return refuse("bare LF in a chunk line");
        }
        return line(b);
      }
    }
  }

  /** One byte of a chunk-size line or of the trailer section. */
  private boolean line(int b) {
    switch (state) {
      case SIZE -> {
        int digit = Character.digit(b, 16);
        if (digit >= 0) {
          if (++digits > MAX_SIZE_DIGITS) {
            return refuse("chunk size longer than " + MAX_SIZE_DIGITS + " hex digits");
          }
          size = size * 16 + digit;
          return true;
        }
        if (digits == 0) {
          return refuse("chunk size is not a hex number");
        }
        return afterSize(b);
      }
      case SIZE_BLANK -> {
        return b == ' ' || b == '\t' ? true : b == ';' ? next(State.EXTENSION) : refuse("chunk size followed by something other than an extension");
      }
      case EXTENSION -> {
        return b == '\r' ? next(State.SIZE_LF) : isControl(b) ? refuse("control character in a chunk extension") : true;
      }
      case SIZE_LF -> {
        return b == '\n' ? sizeLineEnded() : refuse("bare CR in a chunk-size line");
      }
      case TRAILER_START -> {
        if (b == '\r') {
          return next(State.END_LF);
        }
        return isTokenChar(b) ? next(State.TRAILER_NAME) : refuse("trailer line is not a field line");
      }
      case TRAILER_NAME -> {
        return b == ':' ? next(State.TRAILER_VALUE) : isTokenChar(b) ? true : refuse("trailer line is not a field line");
      }
      case TRAILER_VALUE -> {
        return b == '\r' ? next(State.TRAILER_LF) : isControl(b) ? refuse("control character in a trailer field value") : true;
      }
      case TRAILER_LF -> {
        return b == '\n' ? next(State.TRAILER_START) : refuse("bare CR in a trailer line");
      }
      case END_LF -> {
        if (b != '\n') {
          return refuse("bare CR after the trailer section");
        }
        state = State.DONE;
        return false;
      }
      default -> throw new IllegalStateException(state.name()); // scan skips DATA; feed handles DONE
    }
  }

  private boolean afterSize(int b) {
    return switch (b) {
      case ' ', '\t' -> next(State.SIZE_BLANK);
      case ';' -> next(State.EXTENSION);
      case '\r' -> next(State.SIZE_LF);
      default -> refuse("chunk size followed by something other than an extension");
    };
  }

  private boolean sizeLineEnded() {
    dataLeft = size;
    state = size == 0 ? State.TRAILER_START : State.DATA;
    digits = 0;
    size = 0;
    return true;
  }

  private boolean next(State to) {
    state = to;
    return true;
  }

  private boolean refuse(String reason) {
    if (rejection == null) {
      rejection = new RejectedRequest(400, reason);
    }
    state = State.DONE;
    return false;
  }

  /** Field values and extensions allow HTAB but no other control character (RFC 9110 §5.5). */
  private static boolean isControl(int b) {
    return (b < 0x20 && b != '\t') || b == 0x7F;
  }

  /** RFC 9110 §5.6.2 tchar. */
  private static boolean isTokenChar(int b) {
    return b > 32 && b < 127 && "\"(),/:;<=>?@[\\]{}".indexOf(b) < 0;
  }
}
