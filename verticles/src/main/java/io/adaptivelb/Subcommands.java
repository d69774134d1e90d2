package io.adaptivelb;

import io.adaptivelb.config.ConfigSchema;
import io.adaptivelb.report.Analyze;
import io.adaptivelb.sim.SimulateMain;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;

/**
 * The jar's tools besides starting the lab: {@code java -jar adaptive-lb.jar NAME ARGS...}. One line of
 * {@link #ALL} per tool; the launcher looks the first argument up here before handing the rest to Vert.x.
 */
final class Subcommands {

  /** A tool: runs with the arguments after its name and returns the process's exit status. */
  @FunctionalInterface
  interface Command {
    int run(List<String> args, PrintStream out, PrintStream err);
  }

  record Entry(String name, String summary, Command command) {
  }

  static final List<Entry> ALL = List.of(
      new Entry("analyze", "requests/s, latency and backend shares of a proxy_log.csv", Analyze::run),
      new Entry("simulate", "discrete-event simulation of proxies x backends under every policy", SimulateMain::run),
      new Entry("policies", "the policy catalog: Markdown, --json, or --check SPEC", PoliciesCommand::run),
      new Entry("--check", "validate the configuration (-conf FILE|JSON, else the bundled lab) and exit 0 or 2", ConfigCheck::run),
      new Entry("--schema", "print the JSON Schema of the configuration", (args, out, err) -> {
        out.println(ConfigSchema.generate().encodePrettily());
        return Launcher.EXIT_OK;
      }),
      new Entry("--version", "print the version", (args, out, err) -> {
        out.println("adaptive-lb " + Version.get());
        return Launcher.EXIT_OK;
      }),
      new Entry("--help", "this text", (args, out, err) -> Usage.print(out)),
      new Entry("-h", "this text", (args, out, err) -> Usage.print(out)),
      new Entry("-help", "this text", (args, out, err) -> Usage.print(out)));

  private Subcommands() {
  }

  static Optional<Entry> find(String name) {
    return ALL.stream().filter(e -> e.name().equals(name)).findFirst();
  }
}
