package io.adaptivelb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real launcher in a child JVM, its stdout and stderr in files of the test's folder, signals sent
 * with kill(1). Closing it kills the child if it still runs.
 */
final class ChildLauncher implements AutoCloseable {

  final Process process;
  final Path stdout;
  final Path stderr;

  private ChildLauncher(Process process, Path stdout, Path stderr) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  static List<String> command(String... args) {
    List<String> command = new ArrayList<>(List.of(
      ProcessHandle.current().info().command().orElse("java"),
      "-cp", System.getProperty("java.class.path"), "io.adaptivelb.Launcher"));
    command.addAll(List.of(args));
    return command;
  }

  static ChildLauncher start(Path dir, String... args) throws IOException {
    Path out = dir.resolve("child.out");
    Path err = dir.resolve("child.err");
    Process process = new ProcessBuilder(command(args)).directory(dir.toFile())
      .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    return new ChildLauncher(process, out, err);
  }

  /** Runs a command that exits (--check, --help...) and returns its exit code. */
  int exitCode() throws InterruptedException {
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      throw new AssertionError("launcher did not exit");
    }
    return process.exitValue();
  }

  List<String> out() throws IOException {
    return Files.readAllLines(stdout, StandardCharsets.UTF_8);
  }

  List<String> err() throws IOException {
    return Files.readAllLines(stderr, StandardCharsets.UTF_8);
  }

  /** The banner, once its last line is out (everything listens by then). */
  List<String> awaitBanner() throws Exception {
    return Eventually.await(Duration.ofSeconds(60), () -> {
      if (!process.isAlive()) {
        throw new AssertionError("launcher exited " + process.exitValue() + ":\n" + String.join("\n", err()));
      }
      return out();
    }, lines -> lines.stream().anyMatch(l -> l.trim().startsWith("signals")));
  }

  /** The banner row of {@code label}, without the label. */
  static String row(List<String> banner, String label) {
    return banner.stream().map(String::trim).filter(l -> l.startsWith(label + " "))
      .map(l -> l.substring(label.length()).trim()).findFirst().orElseThrow(() -> new AssertionError("no " + label + " in\n" + banner));
  }

  void signal(String name) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new AssertionError("kill -" + name + " failed");
    }
  }

  @Override
  public void close() throws Exception {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
