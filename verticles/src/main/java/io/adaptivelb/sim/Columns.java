package io.adaptivelb.sim;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;

/**
 * Rows kept as parallel primitive arrays, one per column, so the millions of events and requests of a
 * run cost no object each: row {@code i} is index {@code i} of every column. The columns grow together,
 * doubling, when a row past their end is asked for; the row count is their owner's.
 */
final class Columns {

  /** One column: {@code values[i]} is row {@code i}; a longer array after the columns grew. */
  static final class Column<A> {
    A values;

    private Column(A values) {
      this.values = values;
    }

    private void resize(int length) {
      Object longer = Array.newInstance(values.getClass().getComponentType(), length);
      System.arraycopy(values, 0, longer, 0, Array.getLength(values));
      @SuppressWarnings("unchecked") A typed = (A) longer; // same component type as values
      values = typed;
    }
  }

  private final List<Column<?>> columns = new ArrayList<>();
  private int capacity;

  Columns(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
    }
    this.capacity = capacity;
  }

  /** A new column of the primitive array type {@code arrayType} ({@code double[].class}, ...). */
  <A> Column<A> add(Class<A> arrayType) {
    if (!arrayType.isArray() || !arrayType.getComponentType().isPrimitive()) {
      throw new IllegalArgumentException("a column is a primitive array, not " + arrayType.getName());
    }
    Column<A> column = new Column<>(arrayType.cast(Array.newInstance(arrayType.getComponentType(), capacity)));
    columns.add(column);
    return column;
  }

  /** Makes room for row {@code row} in every column. */
  void fit(int row) {
    if (row < capacity) {
      return;
    }
    while (row >= capacity) {
      capacity *= 2;
    }
    for (Column<?> column : columns) {
      column.resize(capacity);
    }
  }
}
