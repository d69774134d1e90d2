package io.adaptivelb.upstream;

/**
 * How one proxy instance talks to its backends in one connection mode.
 *
 * @param keepAlive                 persistent mode: a connection whose exchange ended cleanly goes back
 *                                  to its pool; otherwise every request gets a fresh connection
 * @param keepAliveTimeoutMs        an idle pooled connection older than this is closed
 * @param connectTimeoutMs          bounds the TCP connect, and the wait for a pooled connection
 * @param maxStatusLineBytes        a longer response status line fails the exchange
 * @param maxHeaderBytes            longer response headers fail the exchange
 * @param maxConnectionsPerBackend  connections per backend, idle and busy together
 * @param maxWaitQueue              requests that may wait for a connection per backend; beyond it they are refused
 */
public record UpstreamOptions(boolean keepAlive, long keepAliveTimeoutMs, int connectTimeoutMs, int maxStatusLineBytes,
                              int maxHeaderBytes, int maxConnectionsPerBackend, int maxWaitQueue) {
}
