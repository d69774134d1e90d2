package io.adaptivelb.backend;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;

/**
 * Response bodies of any size, made of one fixed 64 KiB block repeated, so a client can check a
 * download byte for byte without the backend holding it in memory. The block is readable text, 1024
 * numbered lines of 64 bytes, so the default 64-byte body is one line a terminal prints cleanly, and a
 * chunk delivered out of order or twice shows as a wrong line number.
 */
public final class BodyPattern {

  public static final int BLOCK = 64 * 1024;
  private static final int LINE = 64;
  private static final byte[] BYTES = new byte[BLOCK];

  static {
    for (int line = 0; line < BLOCK / LINE; line++) {
      byte[] bytes = String.format("adaptive-lb simulated backend: response body, line %04d of %d\n", line, BLOCK / LINE)
        .getBytes(StandardCharsets.US_ASCII);
      System.arraycopy(bytes, 0, BYTES, line * LINE, LINE);
    }
  }

  private static final Buffer FULL_BLOCK = Buffer.buffer(BYTES);

  private BodyPattern() {
  }

  /** Bytes {@code [offset, offset + length)} of the endless pattern. */
  public static Buffer slice(long offset, int length) {
    int start = (int) (offset % BLOCK);
    if (start == 0 && length == BLOCK) {
      return FULL_BLOCK.copy();
    }
    Buffer out = Buffer.buffer(length);
    int written = 0;
    while (written < length) {
      int from = (start + written) % BLOCK;
      int n = Math.min(length - written, BLOCK - from);
      out.appendBytes(BYTES, from, n);
      written += n;
    }
    return out;
  }
}
