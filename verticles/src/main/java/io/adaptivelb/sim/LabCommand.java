package io.adaptivelb.sim;

import io.adaptivelb.config.BackendConfig;
import io.adaptivelb.config.ConfigSource;
import io.adaptivelb.config.LabConfig;
import io.adaptivelb.config.PhaseConfig;
import io.adaptivelb.config.PolicySpec;
import io.adaptivelb.report.Scenario;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The five lab scenarios as {@code loadtest/run.sh} runs them (its default --matrix: 30 s after 10 s
 * warm-up; wrk -c100 closed loop through the
 * scenario's proxy instances, warm-up then the measured window, phases scaled by duration / 120 and
 * placed after the warm-up), printed as the share of the best possible per configuration, in the shape
 * {@code --from-summary} extracts from a harness {@code summary.md}: the two outputs compare with one diff.
 * Like the harness, no share is given where a backend fails on purpose or answers at once.
 */
final class LabCommand {

  static final List<String> SCENARIOS = List.of("spread", "capacity", "shift", "fast", "flaky");
  private static final double PROXY_UP_SEC = 2; // the lab's proxy answers 1-3 s after its backends start
  private static final int CONNECTIONS = 100; // run.sh's wrk -c

  private LabCommand() {
  }

  static void run(String[] argv) throws IOException {
    Args a = new Args(argv, 1, Set.of("duration", "warmup", "dir", "seed", "policy", "from-summary", "overhead-ms"));
    if (a.has("from-summary")) {
      System.out.print(render(fromSummary(Path.of(a.string("from-summary", null)))));
      return;
    }
    double duration = a.number("duration", 30);
    double warmup = a.number("warmup", 10);
    Path dir = Path.of(a.string("dir", "conf/scenarios"));
    List<String> specs = a.all("policy").isEmpty() ? SimulateMain.policies() : a.all("policy");
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    for (String name : SCENARIOS) {
      LabConfig lab = LabConfig.parse(ConfigSource.read(dir.resolve(name + ".json").toString()));
      List<BackendConfig> fleet = retimed(lab.backends(), duration, warmup);
      Scenario scenario = Scenario.of(fleet);
      boolean graded = !scenario.anyErrors();
      Map<String, String> rows = new LinkedHashMap<>();
      for (String spec : specs) {
        Setup setup = new Setup(fleet, PolicySpec.parse(spec).settings(), lab.proxy().instances(), CONNECTIONS, 0, PROXY_UP_SEC,
          warmup, duration, 0, a.integer("seed", 1), 50, 256, 0, a.number("overhead-ms", 0.2), 0, 60);
        Result r = Simulation.run(setup);
        Grade g = Grade.of(r);
        rows.put("adaptive-lb persistent " + spec, graded && Double.isFinite(g.share()) ? pct(100 * g.share()) : "–");
      }
      out.put(name, rows);
    }
    System.out.print(render(out));
  }

  /** Phases at {@code atSec * duration / 120} into the measured window, as run.sh's derive.py places them. */
  static List<BackendConfig> retimed(List<BackendConfig> backends, double duration, double warmup) {
    List<BackendConfig> out = new ArrayList<>();
    for (BackendConfig b : backends) {
      List<PhaseConfig> phases = b.phases().stream()
        .map(p -> new PhaseConfig(PROXY_UP_SEC + warmup + p.atSec() * duration / 120, p.latency(), p.capacity(), p.errorRate()))
        .toList();
      out.add(new BackendConfig(b.name(), b.host(), b.port(), b.latency(), b.capacity(), b.errorRate(), b.bodyBytes(),
        phases, b.advertisedHost()));
    }
    return out;
  }

  static String pct(double v) {
    return String.format(Locale.ROOT, "%.0f%%", v);
  }

  static String render(Map<String, Map<String, String>> byScenario) {
    StringBuilder s = new StringBuilder();
    byScenario.forEach((scenario, rows) -> {
      s.append("## ").append(scenario).append("\n\n| configuration | % of best |\n|---|---:|\n");
      rows.forEach((label, cell) -> s.append("| ").append(label).append(" | ").append(cell).append(" |\n"));
      s.append('\n');
    });
    return s.toString();
  }

  /** The "% of best" medians of adaptive-lb's persistent configurations in a harness summary.md. */
  static Map<String, Map<String, String>> fromSummary(Path file) throws IOException {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    String scenario = null;
    int column = -1;
    for (String line : Files.readAllLines(file)) {
      if (line.startsWith("## ")) {
        scenario = line.substring(3).trim();
        column = -1;
        continue;
      }
      if (scenario == null || !line.startsWith("|")) {
        continue;
      }
      List<String> cells = cells(line);
      if (cells.contains("% of best")) {
        column = cells.indexOf("% of best");
      } else if (column > 0 && column < cells.size() && cells.get(0).startsWith("adaptive-lb persistent ")) {
        String cell = cells.get(column);
        int space = cell.indexOf(' ');
        out.computeIfAbsent(scenario, k -> new LinkedHashMap<>()).put(cells.get(0), space < 0 ? cell : cell.substring(0, space));
      }
    }
    return out;
  }

  private static List<String> cells(String line) {
    List<String> cells = new ArrayList<>();
    for (String c : line.substring(1).split("\\|")) {
      cells.add(c.trim());
    }
    return cells;
  }
}
