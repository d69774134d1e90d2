package io.adaptivelb.report;

import java.util.Locale;

/** Number formats for the tables: one place, so markdown and HTML agree. */
final class Fmt {

  private Fmt() {
  }

  static String rps(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%,.0f", v) : "–";
  }

  static String ms(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.2f", v) : "–";
  }

  static String rps1(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%,.1f", v) : "–";
  }

  static String seconds(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.1f", v) : "–";
  }

  static String share1(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.1f%%", 100 * v) : "–";
  }

  static String pct(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.0f%%", v) : "–";
  }

  static String share(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.0f%%", 100 * v) : "–";
  }

  static String count(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%,.0f", v) : "–";
  }

  /** A single repetition shows its value; several show "median (min–max)". */
  static String spread(Spread s, java.util.function.DoubleFunction<String> f) {
    if (s.n() == 0) {
      return "–";
    }
    if (s.n() == 1 || s.min() == s.max()) {
      return f.apply(s.median());
    }
    return f.apply(s.median()) + " (" + f.apply(s.min()) + "–" + f.apply(s.max()) + ")";
  }
}
