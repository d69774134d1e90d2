package io.adaptivelb.proxy;

import io.adaptivelb.config.ProxyConfig;
import io.adaptivelb.policy.RoutingPolicy;
import io.adaptivelb.telemetry.TelemetryPublisher;
import io.vertx.core.http.HttpClient;

import java.util.List;

/** What every exchange of one proxy instance shares; all of it belongs to that instance's event loop. */
record Forwarding(ProxyConfig config, HttpClient client, List<Upstream> upstreams, RoutingPolicy policy,
                  TelemetryPublisher telemetry, RequestIds ids) {
}
