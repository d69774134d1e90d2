package io.adaptivelb.policy;

import java.util.List;
import java.util.Map;

/**
 * A snapshot of a policy's beliefs.
 *
 * @param policy   policy id
 * @param nextPick name of the backend {@link RoutingPolicy#pick()} would choose now (without choosing it)
 * @param backends per backend, in order: name, inFlight, and the policy's own fields (score, samples, ...);
 *                 a score of {@link Double#POSITIVE_INFINITY} means "not enough samples yet"
 */
public record PolicyState(String policy, String nextPick, List<Map<String, Object>> backends) {
}
