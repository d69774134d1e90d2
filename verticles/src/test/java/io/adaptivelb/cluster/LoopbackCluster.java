package io.adaptivelb.cluster;

import com.hazelcast.config.ClasspathXmlConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.ConfigXmlGenerator;
import com.hazelcast.config.JoinConfig;
import io.adaptivelb.Lab;
import io.adaptivelb.TestLab;
import io.adaptivelb.config.LabConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A Hazelcast cluster of its own on loopback for one test: the jar's bundled cluster.xml (so the shipped
 * file is what the tests run), with a cluster name nobody else uses and a fixed member list of free
 * ports, so concurrent test runs and labs on this machine (5701...) never join it. Members are
 * clustered Vert.x instances in this JVM, or child JVMs started through the real launcher.
 */
final class LoopbackCluster implements AutoCloseable {

  private final String name = "alb-it-" + UUID.randomUUID();
  private final List<Integer> ports = new ArrayList<>();
  private final List<Vertx> nodes = new ArrayList<>();
  private final List<Lab> labs = new ArrayList<>();
  private final Map<Lab, Vertx> nodeOf = new IdentityHashMap<>();
  private final List<Process> children = new ArrayList<>();
  private int next;

  /** @param members how many members this test will start in all (their ports form the member list) */
  LoopbackCluster(int members) {
    for (int i = 0; i < members; i++) {
      ports.add(TestLab.portForAnotherProcess());
    }
  }

  Config hazelcastConfig() {
    Config config = new ClasspathXmlConfig("cluster.xml");
    config.setClusterName(name);
    config.getNetworkConfig().setPort(ports.get(next++)).setPortAutoIncrement(false);
    JoinConfig join = config.getNetworkConfig().getJoin();
    join.getTcpIpConfig().setMembers(ports.stream().map(p -> "127.0.0.1:" + p).toList());
    return config;
  }

  /** A clustered Vert.x in this JVM running the lab {@code json} describes. */
  Lab start(JsonObject json) throws Exception {
    return start(node(), json);
  }

  /** A clustered Vert.x in this JVM running nothing yet. */
  Vertx node() throws Exception {
    Vertx vertx = Vertx.builder().withClusterManager(new HazelcastClusterManager(hazelcastConfig()))
      .buildClustered().await(60, TimeUnit.SECONDS);
    nodes.add(vertx);
    return vertx;
  }

  /** Runs the lab {@code json} describes on a node of this cluster (several labs may share one node). */
  Lab start(Vertx node, JsonObject json) throws Exception {
    Lab lab = new Lab(node, LabConfig.parse(json));
    lab.start().await(30, TimeUnit.SECONDS);
    labs.add(lab);
    nodeOf.put(lab, node);
    return lab;
  }

  /** Stops a node the way SIGTERM does: the lab in order (goodbyes sent), then Vert.x leaves the cluster. */
  void stop(Lab lab) throws Exception {
    lab.stop().await(30, TimeUnit.SECONDS);
    nodeOf.get(lab).close().await(30, TimeUnit.SECONDS);
  }

  /** The real launcher with {@code -cluster} in a child JVM, joined through a generated Hazelcast file. */
  Process launch(JsonObject json, Path dir) throws Exception {
    Path xml = dir.resolve("hazelcast-" + next + ".xml");
    Files.writeString(xml, new ConfigXmlGenerator(true, false).generate(hazelcastConfig()));
    List<String> command = List.of(ProcessHandle.current().info().command().orElse("java"),
      "-Dvertx.hazelcast.config=" + xml, "-cp", System.getProperty("java.class.path"),
      "io.adaptivelb.Launcher", "io.adaptivelb.MainVerticle", "-cluster", "-conf", json.encode());
    Process process = new ProcessBuilder(command).directory(dir.toFile())
      .redirectErrorStream(true).redirectOutput(dir.resolve("child-" + next + ".log").toFile()).start();
    children.add(process);
    return process;
  }

  @Override
  public void close() throws Exception {
    for (Process p : children) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    for (int i = labs.size() - 1; i >= 0; i--) {
      labs.get(i).stop().await(30, TimeUnit.SECONDS);
    }
    for (Vertx vertx : nodes) {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }
}
