package io.adaptivelb.policy;

import java.util.List;

/**
 * The catalog as Markdown: what {@code java -jar adaptive-lb.jar policies} prints and what the catalog
 * section of docs/policies.md must say (a test compares them).
 */
public final class CatalogMarkdown {

  private CatalogMarkdown() {
  }

  public static String render(List<PolicyType> types) {
    StringBuilder md = new StringBuilder();
    for (PolicyType type : types) {
      md.append("### `").append(type.name()).append("`\n\n");
      md.append(type.explanation()).append("\n\n");
      md.append("- Score: ").append(type.score() == null ? "none (nothing to learn)" : type.score().meaning())
        .append(".\n");
      md.append("- Warm-up probes before the proxy opens its port: ").append(type.warmup() ? "yes" : "no").append(".\n");
      if (type.specs().size() > 1) {
        md.append("- Measured by the harness and the benchmark as: ")
          .append(String.join(", ", type.specs().stream().map(s -> "`" + s + "`").toList())).append(".\n");
      }
      md.append('\n');
      if (type.params().isEmpty()) {
        md.append("No parameters.\n\n");
        continue;
      }
      md.append("| parameter | type | default | accepts | meaning |\n");
      md.append("|---|---|---|---|---|\n");
      for (Param<?> p : type.params()) {
        md.append("| `").append(p.key()).append("` | ").append(p.kind().id()).append(" | `")
          .append(Format.value(p.defaultValue())).append("` | ").append(p.range()).append(" | ")
          .append(p.meaning()).append(" |\n");
      }
      md.append('\n');
    }
    return md.toString();
  }
}
