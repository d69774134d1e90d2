package io.adaptivelb.proxy;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** One timer for every try of an event loop: due tries fire once, in start order; stopped ones never. */
@ExtendWith(VertxExtension.class)
class TryTimeoutsTest {

  private static final class Try extends TryTimeouts.Entry {
    final String name;
    final List<String> fired;
    final Runnable then;

    Try(String name, List<String> fired, Runnable then) {
      this.name = name;
      this.fired = fired;
      this.then = then;
    }

    @Override
    void tryTimedOut() {
      fired.add(name);
      then.run();
    }
  }

  @Test
  void dueTriesFireOnceInStartOrderAndStoppedOnesNever(Vertx vertx) throws Exception {
    CompletableFuture<List<String>> done = new CompletableFuture<>();
    vertx.runOnContext(v -> {
      TryTimeouts timeouts = new TryTimeouts(vertx, 20);
      List<String> fired = new ArrayList<>();
      Try answered = new Try("answered", fired, () -> { });
      Try last = new Try("c", fired, () -> done.complete(fired));
      Try a = new Try("a", fired, () -> { });
      Try b = new Try("b", fired, () -> timeouts.start(last)); // a retry after a timeout starts a fresh try
      timeouts.start(a);
      timeouts.start(answered);
      timeouts.start(b);
      timeouts.stop(answered); // its response headers arrived in time
      timeouts.stop(answered); // stopping twice is harmless
    });
    assertEquals(List.of("a", "b", "c"), done.get(10, TimeUnit.SECONDS));
  }

  @Test
  void restartingATryMovesItsDeadline(Vertx vertx) throws Exception {
    CompletableFuture<List<String>> done = new CompletableFuture<>();
    vertx.runOnContext(v -> {
      TryTimeouts timeouts = new TryTimeouts(vertx, 20);
      List<String> fired = new ArrayList<>();
      Try b = new Try("b", fired, () -> { });
      Try a = new Try("a", fired, () -> done.complete(List.copyOf(fired)));
      timeouts.start(a);
      timeouts.start(b);
      timeouts.start(a); // started again: now behind b
    });
    assertEquals(List.of("b", "a"), done.get(10, TimeUnit.SECONDS));
  }
}
