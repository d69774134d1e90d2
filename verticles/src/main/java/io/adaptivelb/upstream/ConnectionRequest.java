package io.adaptivelb.upstream;

/** Someone waiting for a connection to a backend; exactly one of the two methods runs. */
public interface ConnectionRequest {

  /** The connection is now this requester's until its exchange ends or it is reset. */
  void connected(UpstreamConnection connection);

  /**
   * No connection: the connect failed or timed out ({@code ConnectTimeoutException}), or the wait queue
   * is full ({@link PoolBusyException}). Nothing was sent to the backend.
   */
  void connectFailed(Throwable cause);
}
