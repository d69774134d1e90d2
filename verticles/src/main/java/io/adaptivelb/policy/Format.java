package io.adaptivelb.policy;

/** Numbers as people write them in a config: {@code 10000}, not {@code 10000.0}. */
final class Format {

  private Format() {
  }

  static String number(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }

  static String value(Object value) {
    return value instanceof Number n ? number(n.doubleValue()) : String.valueOf(value);
  }
}
