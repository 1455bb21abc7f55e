package io.captionstream.cli;

import io.captionstream.fetch.FetchPolicy;
import io.captionstream.pipeline.CaptionPipeline;
import io.captionstream.pipeline.CaptionerProvider;
import io.captionstream.pipeline.PipelineConfig;
import io.captionstream.pipeline.Topics;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import io.captionstream.generate.ImageCaptioner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code enricher run}: the captioning service. Runs until SIGTERM/SIGINT, then drains, commits and leaves. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
      "Runs the captioning service: reads ImageReference events from the input topic, captions each image and writes "
          + "one CaptionEvent (output topic) or CaptionError (error topic) per input record.",
      "Input offsets are committed only after their outcome is acknowledged by the brokers (at-least-once, "
          + "stable eventIds). SIGTERM drains in-flight work (up to --drain-timeout), commits and leaves the group."},
    footer = {"", "Exit codes: 0 stopped cleanly, 1 failed (stream thread or producer error), 2 bad configuration."})
public final class RunCommand implements Callable<Integer> {

  @Option(names = {"-b", "--bootstrap-servers"}, defaultValue = "${env:KAFKA_BOOTSTRAP_SERVERS:-localhost:9092}",
      description = "Kafka bootstrap servers (env KAFKA_BOOTSTRAP_SERVERS; default: ${DEFAULT-VALUE}).")
  String bootstrapServers;

  @Option(names = "--application-id", defaultValue = PipelineConfig.DEFAULT_APPLICATION_ID,
      description = "Kafka Streams application.id; instances with the same id share the input partitions (default: ${DEFAULT-VALUE}).")
  String applicationId;

  @Option(names = "--input-topic", defaultValue = Topics.DEFAULT_INPUT, description = "Topic of ImageReference events (default: ${DEFAULT-VALUE}).")
  String inputTopic;

  @Option(names = "--output-topic", defaultValue = Topics.DEFAULT_OUTPUT, description = "Topic of CaptionEvents (default: ${DEFAULT-VALUE}).")
  String outputTopic;

  @Option(names = "--error-topic", defaultValue = Topics.DEFAULT_ERRORS, description = "Topic of CaptionErrors (default: ${DEFAULT-VALUE}).")
  String errorTopic;

  @Option(names = {"-m", "--model"}, description = "Model directory (config.json, onnx/, tokenizer files); required by the onnx engine.")
  Path model;

  @Option(names = "--variant", defaultValue = "fp32", description = "ONNX variant of the model files (default: ${DEFAULT-VALUE}).")
  String variant;

  @Option(names = "--engine", defaultValue = "onnx",
      description = "Captioning engine registered as a CaptionerProvider on the class path (default: ${DEFAULT-VALUE}).")
  String engine;

  @Option(names = "--intra-op-threads", defaultValue = "1", description = "ONNX Runtime intra-op threads per worker (default: ${DEFAULT-VALUE}).")
  int intraOpThreads;

  @Option(names = {"-w", "--workers"}, description = "Inference workers, each with its own session set (default: cores / intra-op threads).")
  Integer workers;

  @Option(names = "--fetch-concurrency", description = "Concurrent image fetches, apart from the workers (default: 2 x workers).")
  Integer fetchConcurrency;

  @Option(names = "--window", description = "In-flight window: records handed off and not yet committed, per instance; bounds duplicates after a crash (default: max(8, 4 x workers)).")
  Integer window;

  @Option(names = "--max-new-tokens", defaultValue = "64", description = "Generated-token cap when an event sets none (default: ${DEFAULT-VALUE}).")
  int maxNewTokens;

  @Option(names = "--commit-interval", defaultValue = "PT0.5S", description = "Kafka Streams commit interval, ISO-8601 (default: ${DEFAULT-VALUE}).")
  Duration commitInterval;

  @Option(names = "--drain-timeout", defaultValue = "PT30S", description = "On shutdown, wait this long for in-flight work before the last commit (default: ${DEFAULT-VALUE}).")
  Duration drainTimeout;

  @Option(names = "--fetch-connect-timeout", defaultValue = "PT5S", description = "HTTP connect timeout per hop (default: ${DEFAULT-VALUE}).")
  Duration fetchConnectTimeout;

  @Option(names = "--fetch-read-timeout", defaultValue = "PT20S", description = "HTTP response + body timeout per hop (default: ${DEFAULT-VALUE}).")
  Duration fetchReadTimeout;

  @Option(names = "--fetch-max-bytes", defaultValue = "20971520", description = "Largest image accepted, bytes (default: ${DEFAULT-VALUE}).")
  long fetchMaxBytes;

  @Option(names = "--fetch-max-redirects", defaultValue = "5", description = "Redirect hops followed, each re-checked (default: ${DEFAULT-VALUE}).")
  int fetchMaxRedirects;

  @Option(names = "--allow-private-addresses", description = "Allow fetching from loopback, private and link-local addresses (SSRF guard off).")
  boolean allowPrivateAddresses;

  @Option(names = "--file-root", description = "Allow file: URIs below this directory (default: file: URIs refused).")
  Path fileRoot;

  @Option(names = "--instance-id", description = "Name of this instance in events and logs (default: $HOSTNAME-pid).")
  String instanceId;

  @Option(names = {"-c", "--config"}, description = "Properties file; 'kafka.*' keys are Kafka client/Streams settings (flags win).")
  Path configFile;

  @Option(names = {"-k", "--kafka"}, paramLabel = "KEY=VALUE",
      description = "Any Kafka client/Streams setting, e.g. -k security.protocol=SSL (repeatable; overrides --config).")
  Map<String, String> kafka = new LinkedHashMap<>();

  @Override
  public Integer call() throws Exception {
    System.setProperty("DJL_OFFLINE", "true");
    System.setProperty("OPT_OUT_TRACKING", "true");
    PipelineConfig config;
    Supplier<ImageCaptioner> captioners;
    try {
      config = config();
      captioners = CaptionerProvider.named(engine).captioners(model, variant, intraOpThreads);
    } catch (RuntimeException | IOException e) { // bad flags, unknown engine, model folder that does not load
      System.err.println("run: " + e.getMessage());
      return 2;
    }
    CaptionPipeline pipeline = CaptionPipeline.start(config, captioners);
    Thread hook = new Thread(pipeline::close, "shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    while (!pipeline.awaitStop(Duration.ofSeconds(1))) {
      // running; SIGTERM runs the hook, which closes the pipeline and so ends this wait
    }
    boolean failed = pipeline.failed();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
      pipeline.close();
    } catch (IllegalStateException shuttingDown) {
      // the JVM is already shutting down: the hook does the close
    }
    return failed ? 1 : 0;
  }

  PipelineConfig config() throws IOException {
    Map<String, String> kafkaSettings = new LinkedHashMap<>();
    if (configFile != null) {
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(configFile)) {
        p.load(r);
      }
      p.stringPropertyNames().stream().filter(k -> k.startsWith("kafka."))
          .forEach(k -> kafkaSettings.put(k.substring("kafka.".length()), p.getProperty(k)));
    }
    kafkaSettings.putAll(kafka);
    int w = workers != null ? workers : PipelineConfig.defaultWorkers(intraOpThreads);
    FetchPolicy fetch = new FetchPolicy(fetchConnectTimeout, fetchReadTimeout, fetchMaxBytes, fetchMaxRedirects,
        allowPrivateAddresses, fileRoot);
    PipelineConfig c = PipelineConfig.defaults(bootstrapServers)
        .withApplicationId(applicationId)
        .withTopics(new Topics(inputTopic, outputTopic, errorTopic))
        .withWorkers(w)
        .withMaxNewTokens(maxNewTokens)
        .withCommitInterval(commitInterval)
        .withDrainTimeout(drainTimeout)
        .withFetchPolicy(fetch)
        .withKafka(kafkaSettings);
    if (fetchConcurrency != null) {
      c = c.withFetchConcurrency(fetchConcurrency);
    }
    if (window != null) {
      c = c.withInFlightWindow(window);
    }
    if (instanceId != null) {
      c = c.withInstanceId(instanceId);
    }
    return c;
  }
}
