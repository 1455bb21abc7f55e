package io.captionstream.cli;

import io.captionstream.config.ConfigKeys;
import io.captionstream.config.ServiceConfig;
import io.captionstream.hub.HubException;
import io.captionstream.hub.ModelResolver;
import io.captionstream.observe.LogFormat;
import io.captionstream.pipeline.PipelineConfig;
import io.captionstream.schema.ImageReference;
import io.captionstream.service.EnricherService;
import io.captionstream.service.ModelUnusableException;
import io.captionstream.tools.EmbeddedKafka;
import io.captionstream.tools.ImagePublisher;
import io.captionstream.tools.ImageSources;
import io.captionstream.tools.OutcomeReader;
import io.captionstream.tools.TopicAdmin;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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

  @Option(names = "--partitions", defaultValue = "2", description = "Partitions of the input topic (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(names = "--timeout", defaultValue = "10m", description = "Give up when the outcomes take longer (default: ${DEFAULT-VALUE}).")
  String timeout;

  @Option(names = "--json", description = "Print outcomes as JSON lines instead of readable text.")
  boolean json;

  @Parameters(arity = "0..*", paramLabel = "IMAGE", description = "Images (files, directories, URLs) to caption instead of the bundled samples.")
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
      refs = images.isEmpty() ? ImageSources.samples() : ImageSources.of(images, true);
    } catch (IllegalArgumentException | java.io.IOException e) {
      err.println("demo: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    ModelResolver.ResolvedModel model;
    try {
      model = EnricherService.resolveModel(config, true);
    } catch (HubException e) {
      err.println("demo: " + e.getMessage());
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
      try (ImagePublisher publisher = new ImagePublisher(pc.bootstrapServers(), pc.kafka())) {
        publisher.publish(pc.topics().input(), refs, n -> { });
      }
      err.println("published " + refs.size() + " images to '" + pc.topics().input() + "'; captions:");
      OutcomePrinter printer = new OutcomePrinter(out, json);
      Set<String> pending = new HashSet<>(refs.stream().map(ImageReference::id).toList());
      int captions = 0;
      int errors = 0;
      long deadline = System.nanoTime() + wait.toNanos();
      while (!pending.isEmpty() && System.nanoTime() < deadline && !service.failed()) {
        for (OutcomeReader.Outcome o : reader.poll(Duration.ofMillis(200))) {
          if (o.unreadable() != null) {
            printer.print(o);
          } else if (pending.remove(o.imageId())) {
            printer.print(o);
            if (o.caption() != null) {
              captions++;
            } else {
              errors++;
            }
          }
        }
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      err.printf("%d captions, %d errors, %d missing in %.1f s%n", captions, errors, pending.size(), seconds);
      if (!pending.isEmpty()) {
        err.println("demo: timed out waiting for " + pending);
        return service.failed() ? ExitCodes.FAILURE : ExitCodes.TIMEOUT;
      }
      return errors == 0 ? ExitCodes.OK : ExitCodes.FAILURE;
    }
  }
}
