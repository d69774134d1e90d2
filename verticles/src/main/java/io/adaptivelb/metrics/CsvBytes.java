package io.adaptivelb.metrics;

import java.util.Arrays;

/**
 * A growable byte array CSV rows are encoded into directly and that is reused from one flush to the
 * next: one pass over every byte, no String or StringBuilder per row or per flush. Text is encoded as
 * UTF-8 exactly as {@code String.getBytes(UTF_8)} does, an unpaired surrogate included ({@code '?'}).
 */
final class CsvBytes {

  /** "00", "01", ... "99": the two ASCII digits of every number below 100. */
  private static final byte[] PAIRS = new byte[200];

  static {
    for (int i = 0; i < 100; i++) {
      PAIRS[2 * i] = (byte) ('0' + i / 10);
      PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
    }
  }

  private static final int WORDS = 16;

  private final int capacity;
  private byte[] bytes;
  private int length;
  /** Encoded words by the low bits of their hash: a hit is one equals and one array copy. */
  private final String[] wordKeys = new String[WORDS];
  private final byte[][] wordBytes = new byte[WORDS][];

  CsvBytes(int capacity) {
    this.capacity = capacity;
    bytes = new byte[capacity];
  }

  int length() {
    return length;
  }

  /** The backing array: valid from 0 to {@link #length()}, until the next append or {@link #clear()}. */
  byte[] array() {
    return bytes;
  }

  void clear() {
    length = 0;
    if (bytes.length > 4 * capacity) {
      bytes = new byte[capacity]; // grown while the disk was behind: give the memory back
    }
  }

  /** One character below 0x80 (separators, quotes, digits). */
  CsvBytes ascii(char c) {
    ensure(1);
    bytes[length++] = (byte) c;
    return this;
  }

  /** Decimal digits of {@code value}, as {@link Long#toString(long)} writes them. */
  CsvBytes number(long value) {
    if (value < 0) {
      if (value == Long.MIN_VALUE) {
        return text("-9223372036854775808"); // the one value that has no positive counterpart
      }
      ascii('-');
      value = -value;
    }
    int size = digits(value);
    ensure(size);
    // Two digits per division, right to left, from a table (the way Long.getChars does it).
    int pos = length + size;
    long v = value;
    while (v >= 100) {
      int pair = (int) (v % 100) * 2;
      v /= 100;
      bytes[--pos] = PAIRS[pair + 1];
      bytes[--pos] = PAIRS[pair];
    }
    if (v >= 10) {
      bytes[--pos] = PAIRS[(int) v * 2 + 1];
      bytes[--pos] = PAIRS[(int) v * 2];
    } else {
      bytes[--pos] = (byte) ('0' + v);
    }
    length += size;
    return this;
  }

  private static int digits(long v) {
    long bound = 10;
    for (int size = 1; size < 19; size++) {
      if (v < bound) {
        return size;
      }
      bound *= 10;
    }
    return 19;
  }

  /**
   * Text that repeats from row to row (method, backend, policy, connection): encoded once and copied after
   * that. Matched by equality, not identity, so records decoded from a cluster peer's JSON (new strings
   * every time) hit as well; a word that collides with another takes its slot.
   */
  CsvBytes word(String s) {
    int slot = s.hashCode() & (WORDS - 1);
    byte[] encoded = wordBytes[slot];
    if (encoded == null || !s.equals(wordKeys[slot])) {
      int start = length;
      text(s);
      wordKeys[slot] = s;
      wordBytes[slot] = Arrays.copyOfRange(bytes, start, length);
      return this;
    }
    ensure(encoded.length);
    System.arraycopy(encoded, 0, bytes, length, encoded.length);
    length += encoded.length;
    return this;
  }

  /** {@code s} from {@code from} to {@code to}, UTF-8. */
  CsvBytes text(String s, int from, int to) {
    ensure(to - from); // enough for ASCII; wider characters ensure more as they come
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes[length++] = (byte) c;
      } else {
        i = wide(s, i, to);
        ensure(to - i);
      }
    }
    return this;
  }

  CsvBytes text(String s) {
    return text(s, 0, s.length());
  }

  /** Encodes the non-ASCII character at {@code i}; returns the index of its last char (a pair takes two). */
  private int wide(String s, int i, int to) {
    ensure(4);
    char c = s.charAt(i);
    if (c < 0x800) {
      bytes[length++] = (byte) (0xC0 | (c >> 6));
      bytes[length++] = (byte) (0x80 | (c & 0x3F));
      return i;
    }
    if (Character.isSurrogate(c)) {
      if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(i + 1));
        bytes[length++] = (byte) (0xF0 | (cp >> 18));
        bytes[length++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        bytes[length++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        bytes[length++] = (byte) (0x80 | (cp & 0x3F));
        return i + 1;
      }
      bytes[length++] = '?'; // what String.getBytes(UTF_8) substitutes for an unpaired surrogate
      return i;
    }
    bytes[length++] = (byte) (0xE0 | (c >> 12));
    bytes[length++] = (byte) (0x80 | ((c >> 6) & 0x3F));
    bytes[length++] = (byte) (0x80 | (c & 0x3F));
    return i;
  }

  private void ensure(int more) {
    if (length + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
    }
  }
}
