package io.adaptivelb.backend;

import io.vertx.core.buffer.Buffer;

import java.util.SplittableRandom;

/**
 * Response bodies of any size, made of one fixed 64 KiB block of pseudo-random bytes repeated, so
 * a client can check a download byte for byte without the backend holding it in memory.
 */
public final class BodyPattern {

  public static final int BLOCK = 64 * 1024;
  private static final byte[] BYTES = new byte[BLOCK];

  static {
    SplittableRandom random = new SplittableRandom(20240611L);
    for (int i = 0; i < BLOCK; i++) {
      BYTES[i] = (byte) random.nextInt(256);
    }
  }

  private static final Buffer FULL_BLOCK = Buffer.buffer(BYTES);

  private BodyPattern() {
  }

  /** Bytes {@code [offset, offset + length)} of the endless pattern; {@code length <= BLOCK}. */
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

  /** The first {@code length} bytes of the pattern, for checking a download. */
  public static byte[] prefix(int length) {
    return slice(0, length).getBytes();
  }
}
