package io.adaptivelb.dashboard;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps requests flowing through the proxy from a few background threads while a test watches the
 * page: each thread sends one request after the other, up to a bounded total, until closed.
 */
final class Traffic implements AutoCloseable {

  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicLong sent = new AtomicLong();
  private final List<Thread> threads = new ArrayList<>();

  Traffic(URI target, int threads, long maxRequests) {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(30)).build();
    for (int i = 0; i < threads; i++) {
      Thread t = new Thread(() -> {
        while (running.get() && sent.incrementAndGet() <= maxRequests) {
          try {
            http.send(request, HttpResponse.BodyHandlers.discarding());
          } catch (java.io.IOException e) {
            // a refused or reset request is still traffic; the test looks at the page, not at these
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }, "dashboard-test-traffic-" + i);
      t.setDaemon(true);
      t.start();
      this.threads.add(t);
    }
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    for (Thread t : threads) {
      t.join(Duration.ofSeconds(35).toMillis());
    }
  }
}
