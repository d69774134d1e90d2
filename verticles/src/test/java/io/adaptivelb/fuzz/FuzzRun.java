package io.adaptivelb.fuzz;

import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
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
 * Usage: {@code FuzzRun fully.qualified.Class#method [seconds]} with {@code JAZZER_FUZZ=1} in the
 * environment. Without seconds the run lasts the test's {@code @FuzzTest(maxDuration)}; with them it
 * lasts that long instead (a long run in one JVM, not rounds that each pay the JVM's and Jazzer's
 * start): the seconds go to libFuzzer as {@code -max_total_time}, after Jazzer's own, so they win.
 */
public final class FuzzRun {

  private FuzzRun() {
  }

  public static void main(String[] args) throws ClassNotFoundException {
    if (args.length < 1 || args.length > 2 || !args[0].contains("#")
      || (args.length == 2 && !args[1].matches("[1-9][0-9]*"))) {
      System.err.println("usage: FuzzRun fully.qualified.Class#method [seconds]");
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
    LauncherDiscoveryRequestBuilder builder = request().selectors(selectMethod(type, method));
    if (args.length == 2) {
      // Jazzer passes jazzer.internal.arg.N to libFuzzer as its command line; argument 0 is the program name
      builder.configurationParameter("jazzer.internal.arg.0", "FuzzRun")
        .configurationParameter("jazzer.internal.arg.1", "-max_total_time=" + args[1]);
    }
    LauncherDiscoveryRequest discovery = builder.build();
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
