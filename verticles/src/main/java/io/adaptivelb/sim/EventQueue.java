package io.adaptivelb.sim;

import java.util.Arrays;

/**
 * A binary min-heap of events kept in parallel primitive arrays: a time, a kind and two int
 * arguments, with an insertion counter breaking ties so equal times pop in the order they were
 * scheduled (the run is reproducible for a seed). No object per event.
 */
final class EventQueue {

  private double[] time = new double[1024];
  private long[] seq = new long[1024];
  private int[] kind = new int[1024];
  private int[] a = new int[1024];
  private int[] b = new int[1024];
  private int size;
  private long counter;

  // The popped event, read through the accessors below until the next pop.
  private double topTime;
  private int topKind;
  private int topA;
  private int topB;

  void add(double at, int eventKind, int argA, int argB) {
    if (size == time.length) {
      int n = size * 2;
      time = Arrays.copyOf(time, n);
      seq = Arrays.copyOf(seq, n);
      kind = Arrays.copyOf(kind, n);
      a = Arrays.copyOf(a, n);
      b = Arrays.copyOf(b, n);
    }
    int i = size++;
    long s = counter++;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!before(at, s, time[parent], seq[parent])) {
        break;
      }
      move(parent, i);
      i = parent;
    }
    set(i, at, s, eventKind, argA, argB);
  }

  boolean isEmpty() {
    return size == 0;
  }

  int size() {
    return size;
  }

  /** Removes the earliest event; read it with {@link #time()}, {@link #kind()}, {@link #a()}, {@link #b()}. */
  void pop() {
    topTime = time[0];
    topKind = kind[0];
    topA = a[0];
    topB = b[0];
    int last = --size;
    if (last == 0) {
      return;
    }
    double t = time[last];
    long s = seq[last];
    int k = kind[last];
    int x = a[last];
    int y = b[last];
    int i = 0;
    while (true) {
      int child = 2 * i + 1;
      if (child >= last) {
        break;
      }
      if (child + 1 < last && before(time[child + 1], seq[child + 1], time[child], seq[child])) {
        child++;
      }
      if (!before(time[child], seq[child], t, s)) {
        break;
      }
      move(child, i);
      i = child;
    }
    set(i, t, s, k, x, y);
  }

  double time() {
    return topTime;
  }

  int kind() {
    return topKind;
  }

  int a() {
    return topA;
  }

  int b() {
    return topB;
  }

  private static boolean before(double t1, long s1, double t2, long s2) {
    return t1 < t2 || (t1 == t2 && s1 < s2);
  }

  private void move(int from, int to) {
    set(to, time[from], seq[from], kind[from], a[from], b[from]);
  }

  private void set(int i, double t, long s, int k, int x, int y) {
    time[i] = t;
    seq[i] = s;
    kind[i] = k;
    a[i] = x;
    b[i] = y;
  }
}
