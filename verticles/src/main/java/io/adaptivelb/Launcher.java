package io.adaptivelb;

import io.adaptivelb.admin.AdminApi;
import io.adaptivelb.config.ConfigException;
import io.adaptivelb.config.ConfigSource;
import io.adaptivelb.config.LabConfig;
import io.vertx.core.Deployable;
import io.vertx.core.json.JsonObject;
import io.vertx.launcher.application.HookContext;
import io.vertx.launcher.application.VertxApplication;
import io.vertx.launcher.application.VertxApplicationHooks;

import java.util.Arrays;
import java.util.Locale;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The command line. A first argument that names one of the {@link Subcommands} runs that tool and
 * exits; anything else starts the lab through the Vert.x 5 application launcher with our defaults:
 * the bundled config when no {@code -conf} is given, the config checked before Vert.x starts, every
 * startup failure reported as one line on stderr with a non-zero exit (no stack trace), a banner once
 * everything listens, and nginx's signals.
 */
public final class Launcher extends VertxApplication implements VertxApplicationHooks {

  static final int EXIT_OK = 0;
  static final int EXIT_BAD_CONFIG = 2;
  static final int EXIT_CANNOT_START = 1;

  /** What -conf named, for the banner ("bundled", a file path or "inline JSON"). */
  private static String confOrigin = "bundled " + LabConfig.BUNDLED_DEFAULT;
  private volatile MainVerticle main;
  private volatile boolean policyGiven;

  public static void main(String[] args) {
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT %4$s %3$s: %5$s%6$s%n");
    }
    Optional<Subcommands.Entry> tool = args.length == 0 ? Optional.empty() : Subcommands.find(args[0]);
    if (tool.isEmpty() && Arrays.stream(args).anyMatch(a -> a.equals("--help") || a.equals("-h") || a.equals("-help"))) {
      tool = Subcommands.find("--help"); // the stock usage would describe Vert.x's flags, not ours
    }
    if (tool.isPresent()) {
      int status = tool.get().command().run(List.of(args).subList(Math.min(1, args.length), args.length), System.out, System.err);
      System.out.flush();
      System.exit(status);
    }
    try {
      checkArguments(args);
    } catch (ConfigException e) {
      exit(EXIT_BAD_CONFIG, "config error: " + e.getMessage());
    }
    new Launcher(args).launch();
  }

  private Launcher(String[] args) {
    super(args);
  }

  /**
   * The stock launcher silently ignores a -conf it cannot read; we refuse it. {@code -instances} would
   * deploy the whole lab twice (the second copy fails on its own ports): {@code proxy.instances} is the knob.
   */
  private static void checkArguments(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String lower = arg.toLowerCase(Locale.ROOT);
      if (lower.equals("-instances") || lower.equals("--instances") || lower.startsWith("-instances=")
        || lower.startsWith("--instances=")) {
        throw new ConfigException("-instances", "not supported: set proxy.instances in the config (event loops for the proxy)");
      }
      String conf = ConfigCheck.confValue(args, i);
      if (conf != null) {
        remember(conf);
        i += arg.contains("=") ? 0 : 1;
      }
    }
  }

  /** Checks the -conf value now, and keeps a file's path so the admin API and SIGHUP can reload it. */
  private static void remember(String fileOrJson) {
    ConfigSource.read(fileOrJson);
    if (fileOrJson.trim().startsWith("{")) {
      confOrigin = "inline JSON (-conf '{...}'; SIGHUP has no file to reload)";
    } else {
      String path = java.nio.file.Path.of(fileOrJson).toAbsolutePath().toString();
      System.setProperty(AdminApi.CONF_PATH_PROPERTY, path);
      confOrigin = path;
    }
  }

  @Override
  public JsonObject afterVertxOptionsParsed(JsonObject vertxOptions) {
    JsonObject options = vertxOptions == null ? new JsonObject() : vertxOptions;
    if (!options.containsKey("metricsOptions")) {
      options.put("metricsOptions", LabVertxOptions.metricsJson());
    }
    if (!options.containsKey("preferNativeTransport")) {
      options.put("preferNativeTransport", true);
    }
    return options;
  }

  @Override
  public JsonObject afterConfigParsed(JsonObject config) {
    JsonObject json = config == null || config.isEmpty() ? ConfigSource.bundledDefault() : config;
    try {
      LabConfig.parse(json);
    } catch (ConfigException e) {
      exit(EXIT_BAD_CONFIG, "config error: " + e.getMessage());
    }
    JsonObject proxy = json.getJsonObject("proxy");
    policyGiven = proxy != null && proxy.getJsonObject("policy") != null && proxy.getJsonObject("policy").containsKey("type");
    return json;
  }

  @Override
  public Supplier<? extends Deployable> verticleSupplier() {
    return () -> {
      main = new MainVerticle();
      return main;
    };
  }

  @Override
  public void afterVerticleDeployed(HookContext context) {
    Lab lab = main.lab();
    Signals.install(context.vertx(), lab);
    Banner.lines(lab, confOrigin, policyGiven, Version.get()).forEach(System.out::println);
    System.out.flush();
  }

  @Override
  public void afterFailureToStartVertx(HookContext context, Throwable t) {
    exit(EXIT_CANNOT_START, "cannot start Vert.x: " + describe(t));
  }

  @Override
  public void afterFailureToDeployVerticle(HookContext context, Throwable t) {
    exit(t instanceof ConfigException ? EXIT_BAD_CONFIG : EXIT_CANNOT_START,
      (t instanceof ConfigException ? "config error: " : "cannot start: ") + describe(t));
  }

  private static String describe(Throwable t) {
    if (t == null) {
      return "timed out";
    }
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return message.lines().findFirst().orElse(message);
  }

  private static void exit(int code, String line) {
    System.err.println("adaptive-lb: " + line);
    System.err.flush();
    Runtime.getRuntime().halt(code); // halt, not exit: no shutdown hook may print a trace after our one line
  }
}
