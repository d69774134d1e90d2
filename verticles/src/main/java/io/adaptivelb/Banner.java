package io.adaptivelb;

import io.adaptivelb.config.BackendConfig;
import io.adaptivelb.config.LabConfig;
import io.adaptivelb.config.LabConfig.Role;
import io.adaptivelb.config.ProxyConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * What a started process tells its operator: version, config, roles, every listening address as a
 * URL (with the port the OS chose for port 0), each upstream group's policy and connection mode, the
 * logs and the signals it answers.
 */
final class Banner {

  private Banner() {
  }

  /**
   * @param confOrigin   where the config came from (a file's absolute path, "inline JSON", the bundled lab)
   * @param policyGiven  whether the config named the proxy's policy type (otherwise the banner says which default applied)
   */
  static List<String> lines(Lab lab, String confOrigin, boolean policyGiven, String version) {
    LabConfig config = lab.config();
    List<String> out = new ArrayList<>();
    out.add("adaptive-lb " + version + " started (pid " + ProcessHandle.current().pid() + ")");
    out.add(row("config", confOrigin));
    out.add(row("roles", String.join(", ", config.roles().stream().map(r -> r.id).toList())));
    if (config.runs(Role.PROXY)) {
      ProxyConfig proxy = config.proxy();
      out.add(row("proxy", url(proxy.host(), lab.proxyPort()) + " (" + (wildcard(proxy.host()) ? "all interfaces, " : "")
        + proxy.instances() + (proxy.instances() == 1 ? " event loop)" : " event loops)")));
      proxy.allGroups().forEach((name, group) -> out.add(row("group " + name, "policy " + group.policy().type()
        + (name.equals(ProxyConfig.DEFAULT_GROUP) ? policyNote(config, policyGiven) : "")
        + ", connection " + group.connection().id + ", backends "
        + (group.backends().isEmpty() ? "none yet (cluster discovery)" : String.join(", ",
        group.backends().stream().map(u -> u.name() + " " + u.origin() + (u.weight() != 1 ? " weight " + u.weight() : "")
          + (u.backup() ? " backup" : "")).toList())))));
      proxy.routes().forEach(r -> out.add(row("route", (r.host() == null ? "any host" : "host " + r.host())
        + ", path " + r.pathPrefix() + "*" + (r.stripPrefix() ? " (prefix stripped)" : "") + " -> group " + r.group())));
      out.add(row("access log", proxy.accessLog().enabled()
        ? proxy.accessLog().path() + " (" + proxy.accessLog().format() + ")" : "off (proxy.accessLog.path)"));
    }
    if (config.runs(Role.DASHBOARD)) {
      String base = url(config.dashboard().host(), lab.dashboardPort());
      out.add(row("dashboard", base + everywhere(config.dashboard().host())
        + " (also " + base + "stats, " + base + "metrics, " + base + "admin/)"));
    }
    if (config.runs(Role.METRICS)) {
      out.add(row("csv log", config.metrics().csvEnabled() ? config.metrics().csv() : "off (metrics.csv)"));
    }
    List<Integer> ports = lab.backendPorts();
    for (int i = 0; i < ports.size(); i++) {
      BackendConfig backend = config.backends().get(i);
      out.add(row("backend", backend.name() + " " + url(backend.host(), ports.get(i)) + everywhere(backend.host())));
    }
    long pid = ProcessHandle.current().pid();
    out.add(row("signals", "kill -HUP " + pid + " reloads the config file, -USR1 reopens the logs, -TERM stops gracefully"));
    return out;
  }

  private static String policyNote(LabConfig config, boolean policyGiven) {
    if (policyGiven) {
      return "";
    }
    return config.runs(Role.BACKENDS)
      ? " (the lab's default)"
      : " (the default for a proxy in front of real servers: no backends role)";
  }

  private static String row(String label, String value) {
    return String.format("  %-14s %s", label, value);
  }

  /** A URL one can paste: a wildcard bind address is reached as localhost from this machine. */
  static String url(String host, int port) {
    String shown = wildcard(host) ? "localhost" : host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    return "http://" + shown + ":" + port + "/";
  }

  private static String everywhere(String host) {
    return wildcard(host) ? " (all interfaces)" : "";
  }

  private static boolean wildcard(String host) {
    return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
  }
}
