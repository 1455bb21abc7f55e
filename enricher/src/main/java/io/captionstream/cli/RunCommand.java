package io.captionstream.cli;

import io.captionstream.config.ConfigException;
import io.captionstream.config.ConfigKeys;
import io.captionstream.config.ServiceConfig;
import io.captionstream.hub.ConsoleProgressBar;
import io.captionstream.hub.HubException;
import io.captionstream.hub.HubSettings;
import io.captionstream.hub.ModelResolver;
import io.captionstream.model.OnnxVariant;
import io.captionstream.observe.LogFormat;
import io.captionstream.pipeline.PipelineConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code enricher run}: the captioning service. Runs until SIGTERM/SIGINT, then drains, commits and leaves. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
      "Runs the captioning service: reads ImageReference events from the input topic, captions each image and writes "
          + "one CaptionEvent (output topic) or CaptionError (error topic) per input record.",
      "Input offsets are committed only after their outcome is acknowledged by the brokers (at-least-once, "
          + "stable eventIds). SIGTERM drains in-flight work (up to --drain-timeout), commits and leaves the group.",
      "Settings: flags > CAPTIONSTREAM_* environment > properties file > defaults (see the README's Configuration).",
      "Serves /metrics, /health/live and /health/ready on --metrics-port."},
    footer = {"", "Exit codes: 143 (SIGTERM) or 130 (SIGINT) after a clean drain, as for any JVM stopped by a signal; "
        + "1 failed (stream thread or producer error), 2 bad configuration, 3 model not found."})
public final class RunCommand implements Callable<Integer> {

  @Mixin ServiceOptions options;

  @Override
  public Integer call() throws Exception {
    System.setProperty("DJL_OFFLINE", "true");
    System.setProperty("OPT_OUT_TRACKING", "true");
    ServiceConfig config;
    ModelResolver.ResolvedModel model;
    try {
      config = options.load();
      LogFormat.use(config.jsonLogs() || LogFormat.jsonFromEnvironment());
      config.pipeline();
    } catch (ConfigException e) {
      System.err.println("run: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    try {
      model = resolveModel(config);
    } catch (HubException e) {
      System.err.println("run: " + e.getMessage());
      return ExitCodes.UNAVAILABLE;
    }
    try (EnricherService service = EnricherService.open(config, options.metricsPort != null)) {
      try {
        service.startPipeline(config, model);
      } catch (RuntimeException e) { // unknown engine, model folder that does not load, workers that cannot open
        System.err.println("run: " + e.getMessage());
        return ExitCodes.USAGE;
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

  /** The pipeline's configuration from flags, environment, file and defaults. */
  PipelineConfig config() {
    return options.load().pipeline();
  }

  /** The onnx engine needs model files; other engines (test doubles) get a folder only when one is configured. */
  static ModelResolver.ResolvedModel resolveModel(ServiceConfig config) {
    Path dir = config.path(ConfigKeys.MODEL_DIR);
    if (dir == null && !"onnx".equalsIgnoreCase(config.string(ConfigKeys.ENGINE))) {
      OnnxVariant v = config.variant() == null ? OnnxVariant.FP32 : config.variant();
      return new ModelResolver.ResolvedModel(null, config.string(ConfigKeys.MODEL_REPO), v, "none");
    }
    return new ModelResolver(HubSettings.fromEnvironment(), ConsoleProgressBar.stderr())
        .resolve(dir, config.string(ConfigKeys.MODEL_REPO), config.string(ConfigKeys.MODEL_REVISION),
            config.variant(), false);
  }
}
