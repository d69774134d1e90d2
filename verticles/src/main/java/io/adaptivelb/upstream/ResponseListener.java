package io.adaptivelb.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpResponse;

/**
 * The owner of an {@link UpstreamConnection}'s current exchange hears its response here, on the
 * connection's event loop. Informational responses (100, 103) are not passed on. After {@link #ended} or
 * {@link #failed} the connection is no longer the listener's. A 101 (only ever to a request carrying
 * {@code Upgrade}) is a final head after which the listener hears nothing more: it opens the tunnel
 * ({@link UpstreamConnection#openTunnel}) or discards the connection.
 */
public interface ResponseListener {

  /** The final response's status line and headers (their maps are Vert.x {@code MultiMap}s too). */
  void head(HttpResponse head);

  /** A piece of the body; the listener owns it and must release it. */
  void content(ByteBuf chunk);

  /**
   * The response is complete; the connection went back to its pool or was closed. {@code lastChunk}:
   * the last piece of the body (often all of it), delivered with the end so the listener can pass both
   * on in one write, owned by the listener; null when the end came without bytes.
   */
  void ended(ByteBuf lastChunk);

  /**
   * The exchange broke: the backend closed or reset the connection, sent what is not HTTP, or went
   * over a limit; or the owner aborted it. The connection is closed.
   */
  void failed(Throwable cause);
}
