package io.adaptivelb.web;

import io.vertx.core.net.HostAndPort;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SameOriginTest {

  @ParameterizedTest(name = "{0} to {1}://{2}:{3} -> {4}")
  @CsvSource(nullValues = "NONE", value = {
    "NONE,                       http,  127.0.0.1, 8081, true",
    "http://127.0.0.1:8081,      http,  127.0.0.1, 8081, true",
    "HTTP://LocalHost:8081,      http,  localhost, 8081, true",
    "http://lab.example,         http,  lab.example, -1, true",
    "http://lab.example:80,      http,  lab.example, -1, true",
    "https://lab.example,        https, lab.example, 443, true",
    "http://127.0.0.1:8082,      http,  127.0.0.1, 8081, false",
    "http://evil.example:8081,   http,  127.0.0.1, 8081, false",
    "https://127.0.0.1:8081,     http,  127.0.0.1, 8081, false",
    "null,                       http,  127.0.0.1, 8081, false",
    "http://[broken,             http,  127.0.0.1, 8081, false",
  })
  void onlyThisServersOwnPagesAndNonBrowsersAreAllowed(String origin, String scheme, String host, int port, boolean allowed) {
    assertEquals(allowed, SameOrigin.allows(origin, scheme, HostAndPort.create(host, port)));
  }
}
