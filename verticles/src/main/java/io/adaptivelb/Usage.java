package io.adaptivelb;

import java.io.PrintStream;

/** {@code --help}: the flags this program takes, with examples (not the generic Vert.x usage). */
final class Usage {

  private Usage() {
  }

  static int print(PrintStream out) {
    out.println("""
      adaptive-lb %s: an adaptive HTTP/1.1 load-balancing reverse proxy, and a lab to study it

      Usage:
        java -jar adaptive-lb.jar [-conf FILE|JSON] [-cluster [-cluster-host HOST] [-cluster-port PORT]]
        java -jar adaptive-lb.jar --check [-conf FILE|JSON]
        java -jar adaptive-lb.jar --schema
        java -jar adaptive-lb.jar --help | --version
        java -jar adaptive-lb.jar TOOL [ARGS...]      (tools below)

      Options:
        -conf FILE|JSON   the configuration: a JSON file, or a JSON object inline; without it the
                          bundled lab runs (three simulated backends, proxy :8080, dashboard :8081)
        --check           validate the configuration and exit: 0 when it would start, 2 with one line
                          naming the key when it would not (like nginx -t)
        -cluster          join a Hazelcast cluster (roles split across processes; see docs/cluster.md)
        -cluster-host H   address this process's event bus listens on in the cluster
        -cluster-port P   port of that event bus (random when absent)
        --schema          print the JSON Schema of the configuration (also GET /admin/schema)
        --version         print the version and exit
        --help, -h        this text

      Signals (as nginx):
        HUP    reload the -conf file: validated first; a bad file is refused, logged, and the running
               config stays (what cannot change live is logged as needing a restart)
        USR1   reopen the access log and the CSV log (after logrotate has moved them)
        TERM   stop gracefully: stop accepting, let requests in flight finish, write the logs out

      Examples:
        java -jar adaptive-lb.jar                                   # the bundled lab
        java -jar adaptive-lb.jar -conf conf/examples/one-app.json  # a proxy in front of your servers
        java -jar adaptive-lb.jar --check -conf my-proxy.json && kill -HUP PID   # PID from the banner

      Configuration keys: docs/configuration.md; JSON Schema: docs/config.schema.json.
      """.formatted(Version.get()).stripTrailing());
    out.println();
    out.println("Tools:");
    for (Subcommands.Entry tool : Subcommands.ALL) {
      if (!tool.name().startsWith("-")) {
        out.printf("  %-16s  %s%n", tool.name(), tool.summary());
      }
    }
    return Launcher.EXIT_OK;
  }
}
