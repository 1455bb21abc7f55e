package io.captionstream.cli;

import io.captionstream.config.ConfigException;
import io.captionstream.config.ConfigKeys;
import io.captionstream.config.ServiceConfig;
import io.captionstream.hub.HubException;
import io.captionstream.hub.ModelResolver;
import io.captionstream.observe.LogFormat;
import io.captionstream.pipeline.PipelineConfig;
import io.captionstream.service.EnricherService;
import io.captionstream.service.ModelUnusableException;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code enricher run}: the captioning service. Runs until SIGTERM/SIGINT, then drains, commits and leaves. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
    modelTransformer = ServiceOptions.Installer.class,
    description = {
      "Runs the captioning service: reads ImageReference events from the input topic, captions each image and writes "
          + "one CaptionEvent (output topic) or CaptionError (error topic) per input record.",
      "Input offsets are committed only after their outcome is acknowledged by the brokers (at-least-once, "
          + "stable eventIds). SIGTERM drains in-flight work (up to --drain-timeout), commits and leaves the group.",
      "Settings: flags > CAPTIONSTREAM_* environment > properties file > defaults (see the README's Configuration).",
      "Serves /metrics, /health/live and /health/ready on --metrics-port."},
    footer = {"", "Exit codes: 143 (SIGTERM) or 130 (SIGINT) after a clean drain, as for any JVM stopped by a signal; "
        + "1 failed (stream thread or producer error), 2 bad configuration, 3 model not found or not loadable."})
public final class RunCommand implements Callable<Integer>, ServiceOptions.ServiceCommand {

  @Mixin ServiceOptions options;

  @Override
  public ServiceOptions serviceOptions() {
    return options;
  }

  @Override
  public Integer call() throws Exception {
    ServiceConfig config;
    ModelResolver.ResolvedModel model;
    try {
      config = options.load();
      LogFormat.use(config.jsonLogs() || LogFormat.jsonFromEnvironment());
      PipelineConfig.from(config);
      requireOnnxEngine(config);
    } catch (ConfigException e) {
      System.err.println("run: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    try {
      model = EnricherService.resolveModel(config, false);
    } catch (HubException e) {
      System.err.println("run: " + e.getMessage());
      return ExitCodes.UNAVAILABLE;
    }
    try (EnricherService service = EnricherService.open(config, options.given(ConfigKeys.METRICS_PORT))) {
      try {
        service.startPipeline(config, model);
      } catch (ModelUnusableException e) {
        System.err.println("run: " + e.getMessage());
        return ExitCodes.UNAVAILABLE;
      }
      Thread hook = new Thread(service::close, "shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      while (!service.awaitStop(Duration.ofSeconds(1))) {
        // running; SIGTERM runs the hook, which closes the pipeline and so ends this wait
      }
      boolean failed = service.failed();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is already shutting down: the hook does the close
      }
      return failed ? ExitCodes.FAILURE : ExitCodes.OK;
    }
  }

  /** {@code engine} is deprecated and only ever was {@code onnx}. */
  static void requireOnnxEngine(ServiceConfig config) {
    String engine = config.get(ConfigKeys.ENGINE);
    if (!"onnx".equalsIgnoreCase(engine)) {
      throw new ConfigException("no engine '" + engine + "': onnx is the only one (" + ConfigKeys.ENGINE.key()
          + " is deprecated)");
    }
  }

  /** The pipeline's configuration from flags, environment, file and defaults. */
  PipelineConfig config() {
    return PipelineConfig.from(options.load());
  }
}
