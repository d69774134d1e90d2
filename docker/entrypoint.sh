#!/bin/sh
# Starts one lab process as a cluster member: the container's config (LAB_CONF), the container
# Hazelcast config with the member list from HZ_MEMBERS, extra JVM flags from JAVA_OPTS.
# exec: java gets SIGTERM from `docker stop` and shuts the roles down in order.
set -e
HZ_CONFIG="${HZ_CONFIG:-/app/conf/hazelcast-containers.xml}"
# shellcheck disable=SC2086 # JAVA_OPTS is a list of flags
exec java ${JAVA_OPTS} \
  -Dvertx.hazelcast.config="${HZ_CONFIG}" \
  -Dadaptivelb.hazelcast.members="${HZ_MEMBERS}" \
  -jar /app/adaptive-lb.jar -cluster -conf "${LAB_CONF}" "$@"
