package io.adaptivelb;

import io.adaptivelb.admin.AdminApi;
import io.adaptivelb.config.ConfigException;
import io.adaptivelb.config.ConfigSource;
import io.adaptivelb.config.LabConfig;
import io.vertx.core.json.JsonObject;
import io.vertx.launcher.application.HookContext;
import io.vertx.launcher.application.VertxApplication;
import io.vertx.launcher.application.VertxApplicationHooks;
import java.util.List;
import java.util.Optional;

/**
 * The Vert.x 5 application launcher with the lab's defaults: the bundled config when no
 * {@code -conf} is given, the config checked before Vert.x starts, and every startup failure
 * reported as one line on stderr with a non-zero exit (no stack trace). A first argument that names
 * one of the {@link Subcommands} runs that tool instead of the lab.
 */
public final class Launcher extends VertxApplication implements VertxApplicationHooks {

  static final int EXIT_BAD_CONFIG = 2;
  static final int EXIT_CANNOT_START = 1;

  public static void main(String[] args) {
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT %4$s %3$s: %5$s%6$s%n");
    }
    if (args.length > 0) {
      Optional<Subcommands.Entry> tool = Subcommands.find(args[0]);
      if (tool.isPresent()) {
        int status = tool.get().command().run(List.of(args).subList(1, args.length), System.out, System.err);
        System.out.flush();
        System.exit(status);
      }
    }
    try {
      checkConfArgument(args);
    } catch (ConfigException e) {
      exit(EXIT_BAD_CONFIG, "config error: " + e.getMessage());
    }
    new Launcher(args).launch();
  }

  private Launcher(String[] args) {
    super(args);
  }

  /** The stock launcher silently ignores a -conf it cannot read; we refuse it. */
  private static void checkConfArgument(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String lower = arg.toLowerCase(java.util.Locale.ROOT);
      if (lower.equals("-conf") || lower.equals("--conf")) {
        if (i + 1 >= args.length) {
          throw new ConfigException("-conf", "needs a file name or a JSON object");
        }
        remember(args[i + 1]);
      } else if (lower.startsWith("-conf=") || lower.startsWith("--conf=")) {
        remember(arg.substring(arg.indexOf('=') + 1));
      }
    }
  }

  /** Checks the -conf value now, and keeps a file's path so the admin API can reload it. */
  private static void remember(String fileOrJson) {
    ConfigSource.read(fileOrJson);
    if (!fileOrJson.trim().startsWith("{")) {
      System.setProperty(AdminApi.CONF_PATH_PROPERTY, java.nio.file.Path.of(fileOrJson).toAbsolutePath().toString());
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
    return json;
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
