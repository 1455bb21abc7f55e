package io.captionstream.service;

import io.captionstream.cache.CacheSettings;
import io.captionstream.config.ConfigKeys;
import io.captionstream.config.ServiceConfig;
import io.captionstream.generate.ImageCaptioner;
import io.captionstream.hub.ConsoleProgressBar;
import io.captionstream.hub.HubSettings;
import io.captionstream.hub.ModelResolver;
import io.captionstream.observe.EnricherMetrics;
import io.captionstream.observe.ObservabilityServer;
import io.captionstream.observe.ServiceHealth;
import io.captionstream.pipeline.CaptionPipeline;
import io.captionstream.pipeline.PipelineConfig;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.BindException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's composition root, as {@code run} and {@code demo} start it: the metrics/health server first (live
 * while models load), then the pipeline with one captioner per worker; ready once Streams runs with every worker
 * loaded.
 */
public final class EnricherService implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EnricherService.class);

  private final EnricherMetrics metrics;
  private final ObservabilityServer server;
  private final ServiceHealth health;
  private CaptionPipeline pipeline;
  private JvmGcMetrics gc;
  private final AtomicBoolean closed = new AtomicBoolean();

  private EnricherService(EnricherMetrics metrics, ObservabilityServer server, ServiceHealth health) {
    this.metrics = metrics;
    this.server = server;
    this.health = health;
  }

  /** Starts serving health and metrics; call {@link #startPipeline} next. */
  public static EnricherService open(ServiceConfig config) throws IOException {
    return open(config, true);
  }

  /**
   * @param portRequired whether the metrics port was asked for explicitly: then a busy port fails the start; the
   *                     default port, when busy (a second instance on one host), falls back to a free one
   */
  public static EnricherService open(ServiceConfig config, boolean portRequired) throws IOException {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    EnricherMetrics metrics = new EnricherMetrics(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    ServiceHealth health = new ServiceHealth();
    int port = config.get(ConfigKeys.METRICS_PORT);
    String host = config.get(ConfigKeys.METRICS_HOST);
    ObservabilityServer server = null;
    if (port >= 0) {
      try {
        server = ObservabilityServer.start(host, port, registry, health.live(), health.ready());
      } catch (BindException e) {
        if (portRequired || !"default".equals(config.source(ConfigKeys.METRICS_PORT))) {
          throw new BindException("metrics port " + host + ":" + port + " is in use ("
              + config.source(ConfigKeys.METRICS_PORT) + "); choose another with --metrics-port");
        }
        log.warn("metrics port {} is in use; serving /metrics and /health on a free port instead", port);
        server = ObservabilityServer.start(host, 0, registry, health.live(), health.ready());
      }
    }
    EnricherService s = new EnricherService(metrics, server, health);
    s.gc = new JvmGcMetrics();
    s.gc.bindTo(registry);
    return s;
  }

  /**
   * Finds the model folder: {@code model.dir}, else the hub cache, else (when {@code allowDownload}) a download.
   *
   * @throws io.captionstream.hub.HubException when the model is not there (and may not be downloaded)
   */
  public static ModelResolver.ResolvedModel resolveModel(ServiceConfig config, boolean allowDownload) {
    return new ModelResolver(HubSettings.fromEnvironment(), ConsoleProgressBar.stderr())
        .resolve(config.get(ConfigKeys.MODEL_DIR), config.get(ConfigKeys.MODEL_REPO),
            config.get(ConfigKeys.MODEL_REVISION), config.get(ConfigKeys.MODEL_VARIANT), allowDownload);
  }

  /**
   * Opens the workers' captioners over the resolved model and starts consuming.
   *
   * @throws ModelUnusableException when the model folder does not load or the workers cannot open it
   */
  public CaptionPipeline startPipeline(ServiceConfig config, ModelResolver.ResolvedModel model)
      throws InterruptedException {
    PipelineConfig pc = PipelineConfig.from(config);
    int threads = config.get(ConfigKeys.INTRA_OP_THREADS);
    Supplier<ImageCaptioner> captioners;
    try {
      captioners = OnnxCaptioners.open(model.folder(), model.variant().toString(), threads);
    } catch (RuntimeException e) {
      health.startupFailed(e.getMessage());
      throw new ModelUnusableException("cannot load the model in " + model.folder() + ": " + e.getMessage(), e);
    }
    log.info("model {} ({}, from {}) at {}; {} workers x {} intra-op threads", model.repo(), model.variant(),
        model.source(), model.folder(), pc.workers(), threads);
    try {
      pipeline = CaptionPipeline.start(pc, captioners, metrics, CacheSettings.from(config));
    } catch (RuntimeException e) { // the workers open their sessions here
      health.startupFailed(e.getMessage());
      throw new ModelUnusableException("the workers cannot open the model: " + e.getMessage(), e);
    }
    CaptionPipeline p = pipeline;
    health.attach(new ServiceHealth.State() {
      @Override
      public String streamsState() {
        return p.streamsState();
      }

      @Override
      public boolean workersLoaded() {
        return p.workersLoaded();
      }

      @Override
      public boolean ready() {
        return p.ready(); // the pipeline's one definition: Streams RUNNING, every worker loaded, no failure
      }

      @Override
      public boolean live() {
        return p.live();
      }
    });
    return pipeline;
  }

  public int metricsPort() {
    return server == null ? -1 : server.port();
  }

  /** Blocks until the pipeline stops; {@code true} if it stopped within the timeout. */
  public boolean awaitStop(Duration timeout) throws InterruptedException {
    return pipeline == null || pipeline.awaitStop(timeout);
  }

  public boolean failed() {
    return pipeline != null && pipeline.failed();
  }

  @Override
  public void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    if (pipeline != null) {
      pipeline.close();
    }
    metrics.close();
    if (gc != null) {
      gc.close();
    }
    if (server != null) {
      server.close();
    }
  }
}
