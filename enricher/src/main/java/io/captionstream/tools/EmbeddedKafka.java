package io.captionstream.tools;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka cluster in this JVM for {@code demo}: real broker code in KRaft combined mode (broker and
 * controller in one node), formatted into a temporary directory, listening on 127.0.0.1 ports picked at start.
 * {@link #close()} stops it and deletes its data.
 */
public final class EmbeddedKafka implements AutoCloseable {

  private final Path dir;
  private final KafkaRaftServer server;
  private final String bootstrapServers;

  private EmbeddedKafka(Path dir, KafkaRaftServer server, String bootstrapServers) {
    this.dir = dir;
    this.server = server;
    this.bootstrapServers = bootstrapServers;
  }

  /** Formats a fresh log directory and starts the node; returns once it accepts connections. */
  public static EmbeddedKafka start() throws Exception {
    Path dir = Files.createTempDirectory("captionstream-kafka-");
    int brokerPort = freePort();
    int controllerPort = freePort();
    String logDir = dir.resolve("data").toString();
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("log.dirs", logDir);
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("num.partitions", "1");
    p.put("auto.create.topics.enable", "false");
    KafkaConfig config = KafkaConfig.fromProps(p, false);

    new Formatter()
        .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
        .setNodeId(1)
        .setClusterId(Uuid.randomUuid().toString())
        .setDirectories(List.of(logDir))
        .setMetadataLogDirectory(logDir)
        .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
        .setControllerListenerName("CONTROLLER")
        .run();

    KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
    server.startup();
    EmbeddedKafka kafka = new EmbeddedKafka(dir, server, "127.0.0.1:" + brokerPort);
    kafka.awaitReady();
    return kafka;
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** Creates topics (1 replica each); existing ones are left alone. */
  public void createTopics(int partitions, String... names) throws Exception {
    try (Admin admin = admin()) {
      List<NewTopic> topics = Stream.of(names).map(n -> new NewTopic(n, partitions, (short) 1)).toList();
      admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
    }
  }

  private void awaitReady() throws Exception {
    try (Admin admin = admin()) {
      admin.describeCluster().nodes().get(60, TimeUnit.SECONDS);
    }
  }

  private Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    // the broker's own clients warn about double closes while it shuts down: noise for a demo
    if (LoggerFactory.getLogger("org.apache.kafka.clients.NetworkClient")
        instanceof ch.qos.logback.classic.Logger l) {
      l.setLevel(ch.qos.logback.classic.Level.ERROR);
    }
    try {
      server.shutdown();
      server.awaitShutdown();
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      } catch (IOException ignored) {
        // a temp directory left behind is harmless
      }
    }
  }
}
