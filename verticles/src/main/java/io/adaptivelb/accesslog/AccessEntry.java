package io.adaptivelb.accesslog;

/**
 * One client request as the access log writes it. Built on the event loop from values the exchange
 * already has; formatted on the log's own thread.
 *
 * @param timeMs     when the request arrived (epoch ms)
 * @param client     the client's IP address
 * @param target     the request target as sent: path and query
 * @param protocol   {@code HTTP/1.1} or {@code HTTP/1.0}
 * @param bytesIn    request body bytes read from the client
 * @param bytesOut   response body bytes written to the client
 * @param backend    the backend that answered, or {@code -} when none was tried
 * @param tries      backends tried (0 when none was available)
 * @param upstreamMs from dispatch to the last backend until its response head arrived
 * @param totalMs    from arrival until the last response byte was written
 * @param userAgent  the {@code User-Agent} header, or null
 * @param referer    the {@code Referer} header, or null
 */
public record AccessEntry(long timeMs, String client, String method, String target, String protocol, int status,
                          long bytesIn, long bytesOut, String group, String backend, int tries, double upstreamMs,
                          double totalMs, String requestId, String userAgent, String referer) {
}
