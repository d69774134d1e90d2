package io.adaptivelb.fuzz;

import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.util.Arrays;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

/**
 * Runs one {@code @FuzzTest} method in a JVM of its own, as {@code loadtest/fuzz.sh} and {@code .ci/run}
 * need: Jazzer fuzzes only one test per JVM, and starting Maven for each of many short runs would cost
 * more than the runs. Exit status 0 when the run found nothing, 1 when it found a crash.
 * Usage: {@code FuzzRun fully.qualified.Class#method} with {@code JAZZER_FUZZ=1} in the environment.
 */
public final class FuzzRun {

  private FuzzRun() {
  }

  public static void main(String[] args) throws ClassNotFoundException {
    if (args.length != 1 || !args[0].contains("#")) {
      System.err.println("usage: FuzzRun fully.qualified.Class#method");
      System.exit(2);
    }
    String[] target = args[0].split("#", 2);
    Class<?> type = Class.forName(target[0]);
    Method method = Arrays.stream(type.getDeclaredMethods()).filter(m -> m.getName().equals(target[1])).findFirst()
      .orElse(null);
    if (method == null) {
      System.err.println("FuzzRun: no method " + target[1] + " in " + target[0]);
      System.exit(2);
    }
    LauncherDiscoveryRequest discovery = request().selectors(selectMethod(type, method)).build();
    Launcher launcher = LauncherFactory.create();
    SummaryGeneratingListener summary = new SummaryGeneratingListener();
    launcher.execute(discovery, summary);
    TestExecutionSummary result = summary.getSummary();
    result.printFailuresTo(new PrintWriter(System.err, true), 30);
    if (result.getTestsFoundCount() == 0) {
      System.err.println("FuzzRun: no test found for " + args[0]);
      System.exit(2);
    }
    System.exit(result.getTotalFailureCount() == 0 ? 0 : 1);
  }
}
