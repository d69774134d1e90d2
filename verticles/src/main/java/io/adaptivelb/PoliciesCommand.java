package io.adaptivelb;

import io.adaptivelb.config.ConfigException;
import io.adaptivelb.config.PolicyCatalogJson;
import io.adaptivelb.config.PolicySpec;
import io.adaptivelb.policy.CatalogMarkdown;
import io.adaptivelb.policy.PolicyCatalog;

import java.io.PrintStream;

/**
 * {@code java -jar adaptive-lb.jar policies [--json | --check SPEC]}: the policy catalog of this jar,
 * without starting anything. Plain, it prints the Markdown of docs/policies.md's catalog section;
 * {@code --json} prints what {@code GET /admin/policies} answers (the load-test harness reads it);
 * {@code --check SPEC} validates a harness policy spec such as {@code sma:explore=0.1}.
 */
final class PoliciesCommand {

  static final String NAME = "policies";
  private static final String USAGE = "usage: java -jar adaptive-lb.jar policies [--json | --check TYPE[:KEY=VALUE,...]]";

  private PoliciesCommand() {
  }

  /** @return the process exit code */
  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 1) {
      out.print(CatalogMarkdown.render(PolicyCatalog.all()));
      return 0;
    }
    if (args.length == 2 && args[1].equals("--json")) {
      out.println(PolicyCatalogJson.of(PolicyCatalog.all()).encodePrettily());
      return 0;
    }
    if (args.length == 3 && args[1].equals("--check")) {
      try {
        out.println(PolicySpec.parse(args[2]).toJson().encode());
        return 0;
      } catch (ConfigException e) {
        err.println("adaptive-lb: " + e.getMessage());
        return Launcher.EXIT_BAD_CONFIG;
      }
    }
    err.println(USAGE);
    return Launcher.EXIT_BAD_CONFIG;
  }
}
