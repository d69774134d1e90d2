package io.adaptivelb.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;

import java.util.List;
import java.util.Locale;

/**
 * The meaning checks on a parsed request head (RFC 9112 §3.2, §6, RFC 9110 §7.2, §10.1.1): message
 * framing the proxy and the backend could disagree on, which is how requests get smuggled, and the
 * target the request is meant for. Syntax is {@link HeadScanner}'s job; this class sees the headers
 * Netty parsed. Returns the first reason to refuse, or null.
 */
final class RequestValidator {

  private RequestValidator() {
  }

  /**
   * @param contentLengthWithChunked Netty saw Content-Length and chunked together and dropped the
   *                                 Content-Length before we could see it
   * @param maxBodyBytes             0 = no limit
   */
  static RejectedRequest check(HttpRequest request, boolean contentLengthWithChunked, long maxBodyBytes) {
    HttpHeaders headers = request.headers();
    boolean http11 = request.protocolVersion().equals(HttpVersion.HTTP_1_1);
    List<String> te = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING);
    List<String> cl = headers.getAll(HttpHeaderNames.CONTENT_LENGTH);
    if (contentLengthWithChunked || (!te.isEmpty() && !cl.isEmpty())) {
      return new RejectedRequest(400, "Content-Length together with Transfer-Encoding");
    }
    if (!te.isEmpty()) {
      RejectedRequest bad = transferEncoding(te, http11);
      if (bad != null) {
        return bad;
      }
    }
    if (!cl.isEmpty()) {
      RejectedRequest bad = contentLength(cl, maxBodyBytes);
      if (bad != null) {
        return bad;
      }
    }
    RejectedRequest bad = target(request, http11);
    if (bad != null) {
      return bad;
    }
    String expect = headers.get(HttpHeaderNames.EXPECT);
    if (expect != null && (headers.getAll(HttpHeaderNames.EXPECT).size() > 1 || !expect.equalsIgnoreCase("100-continue"))) {
      return new RejectedRequest(417, "only Expect: 100-continue is supported");
    }
    return null;
  }

  /** The only coding the proxy can pass on faithfully is chunked, once, last (it re-frames bodies). */
  private static RejectedRequest transferEncoding(List<String> values, boolean http11) {
    if (!http11) {
      return new RejectedRequest(400, "Transfer-Encoding in an HTTP/1.0 request"); // RFC 9112 §6.1
    }
    int chunked = 0;
    String unknown = null;
    for (String value : values) {
      for (String element : value.split(",", -1)) {
        String coding = element.trim().toLowerCase(Locale.ROOT);
        if (coding.isEmpty() || !isToken(coding)) {
          return new RejectedRequest(400, "malformed Transfer-Encoding");
        }
        if (coding.equals("chunked")) {
          chunked++;
        } else if (unknown == null) {
          unknown = coding;
        }
      }
    }
    if (unknown != null) {
      return new RejectedRequest(501, "transfer coding \"" + unknown + "\" is not supported");
    }
    if (chunked != 1) {
      return new RejectedRequest(400, "chunked applied more than once");
    }
    return null;
  }

  /** Netty already refuses signs, lists, spaces and overflow; what is left is the size limit. */
  private static RejectedRequest contentLength(List<String> values, long maxBodyBytes) {
    if (values.size() != 1) {
      return new RejectedRequest(400, "more than one Content-Length");
    }
    String value = values.get(0);
    if (value.isEmpty() || value.length() > 18 || !digits(value)) {
      return new RejectedRequest(400, "malformed Content-Length");
    }
    if (maxBodyBytes > 0 && Long.parseLong(value) > maxBodyBytes) {
      return RejectedRequest.bodyTooLarge(maxBodyBytes);
    }
    return null;
  }

  /** Exactly one valid Host in HTTP/1.1; an absolute-form target must name the same authority. */
  private static RejectedRequest target(HttpRequest request, boolean http11) {
    List<String> hosts = request.headers().getAll(HttpHeaderNames.HOST);
    if (hosts.size() > 1) {
      return new RejectedRequest(400, "more than one Host");
    }
    if (hosts.isEmpty() && http11) {
      return new RejectedRequest(400, "Host is required in HTTP/1.1");
    }
    String host = hosts.isEmpty() ? null : hosts.get(0);
    if (host != null && !isAuthority(host)) {
      return new RejectedRequest(400, "malformed Host");
    }
    String uri = request.uri();
    if (request.method().equals(HttpMethod.CONNECT)) {
      return new RejectedRequest(501, "CONNECT is not supported by a reverse proxy");
    }
    if (uri.startsWith("/")) {
      return null;
    }
    if (uri.equals("*")) {
      return request.method().equals(HttpMethod.OPTIONS) ? null : new RejectedRequest(400, "asterisk-form target outside OPTIONS");
    }
    String lower = uri.toLowerCase(Locale.ROOT);
    int schemeEnd = lower.startsWith("http://") ? 7 : lower.startsWith("https://") ? 8 : -1;
    if (schemeEnd < 0) {
      return new RejectedRequest(400, "request target is neither origin-form nor absolute-form");
    }
    int end = schemeEnd;
    while (end < uri.length() && "/?#".indexOf(uri.charAt(end)) < 0) {
      end++;
    }
    String authority = uri.substring(schemeEnd, end);
    if (authority.isEmpty() || !isAuthority(authority)) {
      return new RejectedRequest(400, "malformed authority in the request target");
    }
    int defaultPort = schemeEnd == 7 ? 80 : 443;
    if (host == null ? http11 : !normalize(authority, defaultPort).equals(normalize(host, defaultPort))) {
      return new RejectedRequest(400, "absolute-form target and Host disagree");
    }
    return null;
  }

  /** {@code host[:port]} with RFC 3986 reg-name, IPv4 or bracketed IPv6 characters; no userinfo. */
  private static boolean isAuthority(String s) {
    if (s.isEmpty()) {
      return true; // RFC 9112 §3.2: allowed when the target has no authority
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || "-._~%!$&'()*+,;=:[]".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    int colon = s.lastIndexOf(':');
    if (colon >= 0 && colon > s.lastIndexOf(']')) {
      String port = s.substring(colon + 1);
      return port.length() <= 5 && digits(port);
    }
    return true;
  }

  /** Every character an ASCII digit (a loop: this runs on every request, where a stream costs a lambda and a spliterator). */
  private static boolean digits(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  private static String normalize(String authority, int defaultPort) {
    String a = authority.toLowerCase(Locale.ROOT);
    return a.endsWith(":" + defaultPort) ? a.substring(0, a.length() - 1 - Integer.toString(defaultPort).length()) : a;
  }

  private static boolean isToken(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (!HeadScanner.isTchar(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }
}
