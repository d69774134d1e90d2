package io.adaptivelb.protocols;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PemKeyCertOptions;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A backend on loopback that answers every request with what it received: the request line and
 * the headers the proxy forwarded, one per line in lower case, then the number of body bytes.
 * Over TLS when given a certificate.
 */
final class EchoBackend implements AutoCloseable {

  final List<String> requests = new CopyOnWriteArrayList<>();
  final int port;
  private final HttpServer server;

  EchoBackend(Vertx vertx) throws Exception {
    this(vertx, null);
  }

  /** @param certAndKey PEM certificate and key for TLS, or null for plain HTTP */
  EchoBackend(Vertx vertx, Path[] certAndKey) throws Exception {
    HttpServerOptions options = new HttpServerOptions();
    if (certAndKey != null) {
      options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(certAndKey[0].toString())
        .setKeyPath(certAndKey[1].toString()));
    }
    server = vertx.createHttpServer(options).requestHandler(this::echo);
    port = server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS).actualPort();
  }

  private void echo(HttpServerRequest request) {
    StringBuilder seen = new StringBuilder(request.method() + " " + request.uri() + " " + request.version() + "\n");
    request.headers().forEach(h -> seen.append(h.getKey().toLowerCase()).append(": ").append(h.getValue()).append('\n'));
    long[] bytes = {0};
    request.handler(chunk -> bytes[0] += chunk.length());
    request.endHandler(v -> {
      seen.append("body-bytes: ").append(bytes[0]).append('\n');
      requests.add(seen.toString());
      request.response().putHeader("Content-Type", "text/plain").end(seen.toString());
    });
  }

  @Override
  public void close() throws Exception {
    server.close().await(10, TimeUnit.SECONDS);
  }
}
