package io.adaptivelb.proxy;

import io.vertx.core.buffer.Buffer;

/**
 * Tells the exchange who is the slow side while a request body goes to a backend, so the per-try
 * timeout times the backend and never the client: the pipe pauses the body when the backend stops
 * taking it (the backend is slow: {@code backendWaited}); a chunk from the client or a resume means the
 * proxy waits on the client again ({@code clientWaited}), which the client's own body idle timeout
 * bounds; after the last byte, only the backend is left to wait for.
 */
record BodyTiming(Runnable backendWaited, Runnable clientWaited) implements WatchedBody.Watcher {

  @Override
  public boolean chunk(Buffer chunk) {
    clientWaited.run();
    return true;
  }

  @Override
  public boolean ended() {
    backendWaited.run();
    return true;
  }

  @Override
  public void paused() {
    backendWaited.run();
  }

  @Override
  public void resumed() {
    clientWaited.run();
  }

  @Override
  public void released() {
    // the exchange that let go of the body decides what its clock does next
  }
}
