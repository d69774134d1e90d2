package io.adaptivelb;

import io.adaptivelb.config.ConfigException;
import io.adaptivelb.config.PolicyCatalogJson;
import io.adaptivelb.config.PolicySpec;
import io.adaptivelb.policy.CatalogMarkdown;
import io.adaptivelb.policy.PolicyCatalog;

import java.io.PrintStream;
import java.util.List;

/**
 * {@code java -jar adaptive-lb.jar policies [--json | --check SPEC]}: the policy catalog of this jar,
 * without starting anything. Plain, it prints the Markdown of docs/policies.md's catalog section;
 * {@code --json} prints what {@code GET /admin/policies} answers (the load-test harness reads it);
 * {@code --check SPEC} validates a harness policy spec such as {@code sma:explore=0.1}.
 */
final class PoliciesCommand {

  private static final String USAGE = "usage: java -jar adaptive-lb.jar policies [--json | --check TYPE[:KEY=VALUE,...]]";

  private PoliciesCommand() {
  }

  /**
   * @param args what follows {@code policies} on the command line
   * @return the process exit status
   */
  static int run(List<String> args, PrintStream out, PrintStream err) {
    if (args.isEmpty()) {
      out.print(CatalogMarkdown.render(PolicyCatalog.all()));
      return 0;
    }
    if (args.size() == 1 && args.get(0).equals("--json")) {
      out.println(PolicyCatalogJson.of(PolicyCatalog.all()).encodePrettily());
      return 0;
    }
    if (args.size() == 2 && args.get(0).equals("--check")) {
      try {
        out.println(PolicySpec.parse(args.get(1)).toJson().encode());
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
