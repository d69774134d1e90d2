package io.adaptivelb.sim;

import java.util.Arrays;

/** Requests in flight, as reusable slots in parallel arrays: no object per request. */
final class Requests {

  int[] proxy = new int[1024];
  int[] backend = new int[1024];
  int[] localSlot = new int[1024];
  int[] client = new int[1024];
  int[] load = new int[1024];
  double[] startMs = new double[1024];
  boolean[] failed = new boolean[1024];
  private int[] free = new int[1024];
  private int freeCount;
  private int used;

  int open(int p, int b, int local, int c, int l, double now) {
    int r;
    if (freeCount > 0) {
      r = free[--freeCount];
    } else {
      if (used == proxy.length) {
        grow(used * 2);
      }
      r = used++;
    }
    proxy[r] = p;
    backend[r] = b;
    localSlot[r] = local;
    client[r] = c;
    load[r] = l;
    startMs[r] = now;
    failed[r] = false;
    return r;
  }

  /** Frees the slot; its fields stay readable until the next {@link #open}. */
  void close(int r) {
    if (freeCount == free.length) {
      free = Arrays.copyOf(free, free.length * 2);
    }
    free[freeCount++] = r;
  }

  int local(int r) {
    return localSlot[r];
  }

  private void grow(int n) {
    proxy = Arrays.copyOf(proxy, n);
    backend = Arrays.copyOf(backend, n);
    localSlot = Arrays.copyOf(localSlot, n);
    client = Arrays.copyOf(client, n);
    load = Arrays.copyOf(load, n);
    startMs = Arrays.copyOf(startMs, n);
    failed = Arrays.copyOf(failed, n);
  }
}
