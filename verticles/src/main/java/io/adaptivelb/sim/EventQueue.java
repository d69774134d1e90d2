package io.adaptivelb.sim;

/**
 * A binary min-heap of events kept in parallel primitive arrays: a time, a kind and two int
 * arguments, with an insertion counter breaking ties so equal times pop in the order they were
 * scheduled (the run is reproducible for a seed). No object per event.
 */
final class EventQueue {

  private final Columns columns = new Columns(1024);
  private final Columns.Column<double[]> time = columns.add(double[].class);
  private final Columns.Column<long[]> seq = columns.add(long[].class);
  private final Columns.Column<int[]> kind = columns.add(int[].class);
  private final Columns.Column<int[]> a = columns.add(int[].class);
  private final Columns.Column<int[]> b = columns.add(int[].class);
  private int size;
  private long counter;

  // The popped event, read through the accessors below until the next pop.
  private double topTime;
  private int topKind;
  private int topA;
  private int topB;

  void add(double at, int eventKind, int argA, int argB) {
    columns.fit(size);
    double[] times = time.values;
    long[] seqs = seq.values;
    int i = size++;
    long s = counter++;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!before(at, s, times[parent], seqs[parent])) {
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
    double[] times = time.values;
    long[] seqs = seq.values;
    topTime = times[0];
    topKind = kind.values[0];
    topA = a.values[0];
    topB = b.values[0];
    int last = --size;
    if (last == 0) {
      return;
    }
    double t = times[last];
    long s = seqs[last];
    int k = kind.values[last];
    int x = a.values[last];
    int y = b.values[last];
    int i = 0;
    while (true) {
      int child = 2 * i + 1;
      if (child >= last) {
        break;
      }
      if (child + 1 < last && before(times[child + 1], seqs[child + 1], times[child], seqs[child])) {
        child++;
      }
      if (!before(times[child], seqs[child], t, s)) {
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
    set(to, time.values[from], seq.values[from], kind.values[from], a.values[from], b.values[from]);
  }

  private void set(int i, double t, long s, int k, int x, int y) {
    time.values[i] = t;
    seq.values[i] = s;
    kind.values[i] = k;
    a.values[i] = x;
    b.values[i] = y;
  }
}
