package io.captionstream.cli;

import io.captionstream.config.ConfigKeys;
import io.captionstream.config.ServiceConfig;
import io.captionstream.hub.HubException;
import io.captionstream.hub.ModelResolver;
import io.captionstream.observe.LogFormat;
import io.captionstream.observe.TerminalText;
import io.captionstream.pipeline.PipelineConfig;
import io.captionstream.schema.ImageReference;
import io.captionstream.service.EnricherService;
import io.captionstream.service.ModelUnusableException;
import io.captionstream.tools.EmbeddedKafka;
import io.captionstream.tools.ImagePublisher;
import io.captionstream.tools.ImageSources;
import io.captionstream.tools.OutcomeReader;
import io.captionstream.tools.TopicAdmin;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code enricher demo}: everything in one process. Starts an embedded single-node Kafka (unless
 * {@code --bootstrap-servers} points at one), the enricher, publishes the bundled sample images (or the given ones)
 * and prints each caption with its per-stage timings as it arrives; exits when every image has its outcome.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
    modelTransformer = ServiceOptions.Installer.class,
    description = {
      "Starts an embedded Kafka broker and the enricher, captions the bundled sample images, prints the captions.",
      "The first run downloads the default model (HuggingFaceTB/SmolVLM-256M-Instruct) into the Hugging Face cache; "
          + "--model-dir DIR uses a local model folder instead (no network)."},
    footer = {"", "Exit codes: 0 every image captioned, 1 some images failed, 2 bad arguments, "
        + "3 model or broker unavailable, 4 timed out."})
public final class DemoCommand implements Callable<Integer>, ServiceOptions.ServiceCommand {

  @Mixin ServiceOptions options;

  @Override
  public ServiceOptions serviceOptions() {
    return options;
  }

  @Option(names = "--partitions", defaultValue = "2",
      description = "Partitions of the input topic (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(names = "--timeout", defaultValue = "10m",
      description = "Give up when the outcomes take longer (default: ${DEFAULT-VALUE}).")
  String timeout;

  @Option(names = "--json", description = "Print outcomes as JSON lines instead of readable text.")
  boolean json;

  @Option(names = "--repeat", defaultValue = "1",
      description = "Publish the images N times, each round once the previous round's outcomes arrived (ids get a #n"
          + " suffix); later rounds are answered from the caption cache (default: ${DEFAULT-VALUE}).")
  int repeat;

  @Parameters(arity = "0..*", paramLabel = "IMAGE",
      description = "Images (files, directories, URLs) to caption instead of the bundled samples.")
  List<String> images = List.of();

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    PrintStream err = System.err;
    long t0 = System.nanoTime();
    boolean embedded = !options.given(ConfigKeys.BOOTSTRAP_SERVERS)
        && System.getenv(ConfigKeys.BOOTSTRAP_SERVERS.env()) == null;
    if (!options.given(ConfigKeys.METRICS_PORT) && System.getenv(ConfigKeys.METRICS_PORT.env()) == null) {
      options.set(ConfigKeys.METRICS_PORT, "0"); // any free port: a demo must not collide with a running service
    }
    ServiceConfig config;
    Duration wait;
    List<ImageReference> refs;
    try {
      if (embedded) {
        options.set(ConfigKeys.BOOTSTRAP_SERVERS, "127.0.0.1:1"); // replaced once the embedded broker runs
      }
      config = options.load();
      LogFormat.use(config.jsonLogs() || LogFormat.jsonFromEnvironment());
      RunCommand.requireOnnxEngine(config);
      wait = ConfigParsing.duration("--timeout", timeout);
      if (repeat < 1) {
        throw new IllegalArgumentException("--repeat must be >= 1");
      }
      refs = images.isEmpty() ? ImageSources.samples() : ImageSources.of(images, true);
    } catch (IllegalArgumentException | IOException e) {
      err.println("demo: " + TerminalText.escape(e.getMessage()));
      return ExitCodes.USAGE;
    }
    ModelResolver.ResolvedModel model;
    try {
      model = EnricherService.resolveModel(config, true);
    } catch (HubException e) {
      err.println("demo: " + TerminalText.escape(e.getMessage()));
      return ExitCodes.UNAVAILABLE;
    }
    err.printf("model: %s (%s) from %s%n", model.folder(), model.variant(), model.source());

    EmbeddedKafka kafka = null;
    try {
      if (embedded) {
        err.println("starting an embedded Kafka broker (KRaft, single node) ...");
        kafka = EmbeddedKafka.start();
        options.set(ConfigKeys.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        config = options.load();
        err.println("broker at " + kafka.bootstrapServers());
      }
      PipelineConfig pc = PipelineConfig.from(config);
      TopicAdmin.ensure(pc.bootstrapServers(), pc.kafka(), partitions, pc.topics().input());
      TopicAdmin.ensure(pc.bootstrapServers(), pc.kafka(), 1, pc.topics().output(), pc.topics().errors());
      return run(config, pc, model, refs, wait, out, err, t0);
    } finally {
      if (kafka != null) {
        kafka.close();
      }
    }
  }

  private int run(ServiceConfig config, PipelineConfig pc, ModelResolver.ResolvedModel model,
      List<ImageReference> refs, Duration wait, PrintStream out, PrintStream err, long t0) throws Exception {
    try (EnricherService service = EnricherService.open(config);
        OutcomeReader reader = new OutcomeReader(pc.bootstrapServers(), pc.kafka(), pc.topics().output(),
            pc.topics().errors(), false)) {
      err.println("loading the model into " + pc.workers() + " workers ...");
      try {
        service.startPipeline(config, model);
      } catch (ModelUnusableException e) {
        err.println("demo: " + e.getMessage());
        return ExitCodes.UNAVAILABLE;
      }
      if (service.metricsPort() > 0) {
        err.println("metrics: http://127.0.0.1:" + service.metricsPort() + "/metrics  health: /health/ready");
      }
      OutcomePrinter printer = new OutcomePrinter(out, json);
      DemoRounds rounds = new DemoRounds(refs, repeat);
      long deadline = System.nanoTime() + wait.toNanos();
      try (ImagePublisher publisher = new ImagePublisher(pc.bootstrapServers(), pc.kafka())) {
        for (int round = 1; round <= repeat && !rounds.timedOut(); round++) {
          List<ImageReference> published = rounds.refs(round);
          publisher.publish(pc.topics().input(), published, n -> { });
          err.println("published " + published.size() + " images to '" + pc.topics().input() + "'"
              + (repeat > 1 ? " (round " + round + " of " + repeat + ")" : "") + "; captions:");
          rounds.await(round, reader, printer, deadline, service::failed);
          if (repeat > 1) {
            err.println(rounds.roundSummary(round));
          }
        }
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      err.printf("%d captions (%d from cache), %d errors, %d missing in %.1f s%n", rounds.captions(),
          rounds.fromCache(), rounds.errors(), rounds.missing(), seconds);
      if (rounds.missing() > 0) {
        err.println("demo: timed out waiting for " + TerminalText.escape(String.valueOf(rounds.pending())));
        return service.failed() ? ExitCodes.FAILURE : ExitCodes.TIMEOUT;
      }
      return rounds.errors() == 0 ? ExitCodes.OK : ExitCodes.FAILURE;
    }
  }
}
