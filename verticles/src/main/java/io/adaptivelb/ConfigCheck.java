package io.adaptivelb;

import io.adaptivelb.config.ConfigException;
import io.adaptivelb.config.ConfigSource;
import io.adaptivelb.config.LabConfig;
import io.vertx.core.json.JsonObject;

import java.util.Locale;

/**
 * {@code --check [-conf FILE]}: validates a config with the same reader the lab starts with and exits,
 * 0 when it would start and 2 with the one line naming the key when it would not (as {@code nginx -t}).
 * Ports are not tried: another process may hold them now and not at start.
 */
final class ConfigCheck {

  private ConfigCheck() {
  }

  static int run(java.util.List<String> argList, java.io.PrintStream out, java.io.PrintStream err) {
    String[] args = argList.toArray(String[]::new);
    String conf = null;
    try {
      for (int i = 0; i < args.length; i++) {
        String value = confValue(args, i);
        if (value != null) {
          conf = value;
          if (isConfFlag(args[i])) {
            i++;
          }
        } else {
          throw new ConfigException(args[i], "unknown argument (--check takes only -conf FILE)");
        }
      }
      JsonObject json = conf == null ? ConfigSource.bundledDefault() : ConfigSource.read(conf);
      LabConfig config = LabConfig.parse(json);
      out.println("adaptive-lb: configuration " + (conf == null ? "bundled " + LabConfig.BUNDLED_DEFAULT : conf)
        + " is valid (roles " + String.join(", ", config.roles().stream().map(r -> r.id).toList()) + ")");
      return Launcher.EXIT_OK;
    } catch (ConfigException e) {
      err.println("adaptive-lb: config error: " + e.getMessage());
      return Launcher.EXIT_BAD_CONFIG;
    }
  }

  /** The value of {@code -conf VALUE} or {@code -conf=VALUE} at {@code args[i]}, or null. */
  static String confValue(String[] args, int i) {
    String arg = args[i];
    String lower = arg.toLowerCase(Locale.ROOT);
    if (isConfFlag(arg)) {
      if (i + 1 >= args.length) {
        throw new ConfigException("-conf", "needs a file name or a JSON object");
      }
      return args[i + 1];
    }
    if (lower.startsWith("-conf=") || lower.startsWith("--conf=")) {
      return arg.substring(arg.indexOf('=') + 1);
    }
    return null;
  }

  private static boolean isConfFlag(String arg) {
    String lower = arg.toLowerCase(Locale.ROOT);
    return lower.equals("-conf") || lower.equals("--conf");
  }
}
