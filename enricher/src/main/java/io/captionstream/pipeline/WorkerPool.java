package io.captionstream.pipeline;

import io.captionstream.CaptionException;
import io.captionstream.cache.CacheKey;
import io.captionstream.cache.CaptionCache;
import io.captionstream.fetch.FetchException;
import io.captionstream.fetch.ImageFetcher;
import io.captionstream.generate.CaptionOptions;
import io.captionstream.generate.CaptionResult;
import io.captionstream.generate.ImageCaptioner;
import io.captionstream.prompt.NativeStack;
import io.captionstream.schema.ErrorCode;
import io.captionstream.schema.ImageReference;
import io.captionstream.schema.InvalidEventException;
import io.captionstream.schema.SchemaRegistryException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The work behind the stream thread: a fetch stage with its own bounded concurrency decodes each event and fetches
 * its image, then W inference workers, each owning one {@link ImageCaptioner} for its whole life, caption the
 * fetched images. Every job ends in exactly one outcome sent to the {@link OutcomeSink}; its acknowledgement is
 * reported to the {@link OffsetLedger}. Workers never touch the network, fetchers never run the model.
 */
final class WorkerPool implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);

  /** @param cacheKey {@code null} when the record is not cached */
  private record Fetched(Job job, ImageReference ref, byte[] image, double fetchMs, CacheKey cacheKey) {}

  private final EventCodec codec;
  private final ImageFetcher fetcher;
  private final OutcomeSink sink;
  private final OffsetLedger ledger;
  private final OutcomeFactory outcomes;
  private final OutcomeDelivery delivery;
  private final CacheStep cacheStep;
  private final PipelineMetrics metrics;
  private final PipelineConfig config;
  private final Clock clock;
  private final ExecutorService fetchStage;
  private final BlockingQueue<Fetched> inference = new LinkedBlockingQueue<>();
  private final List<Thread> workers = new ArrayList<>();
  private final CountDownLatch started;
  private volatile boolean stopping;

  WorkerPool(PipelineConfig config, Supplier<? extends ImageCaptioner> captioners, ImageFetcher fetcher,
      OutcomeSink sink, OffsetLedger ledger, PipelineMetrics metrics, Clock clock) {
    this(config, captioners, fetcher, sink, ledger, metrics, clock, CaptionCache.disabled());
  }

  WorkerPool(PipelineConfig config, Supplier<? extends ImageCaptioner> captioners, ImageFetcher fetcher,
      OutcomeSink sink, OffsetLedger ledger, PipelineMetrics metrics, Clock clock, CaptionCache cache) {
    this.codec = EventCodec.from(config.kafka());
    this.fetcher = fetcher;
    this.sink = sink;
    this.ledger = ledger;
    this.metrics = metrics;
    this.config = config;
    this.clock = clock;
    this.outcomes = new OutcomeFactory(config.topics(), codec, config.instanceId(), clock,
        OutcomeLimits.from(config.kafka()));
    this.delivery = new OutcomeDelivery(sink, ledger, metrics, outcomes);
    this.cacheStep = new CacheStep(cache, outcomes, this::options);
    AtomicInteger n = new AtomicInteger();
    this.fetchStage = Executors.newFixedThreadPool(config.fetchConcurrency(), r -> {
      Thread t = new Thread(r, "fetch-" + n.getAndIncrement());
      t.setDaemon(true);
      return t;
    });
    this.started = new CountDownLatch(config.workers());
    for (int i = 0; i < config.workers(); i++) {
      String name = "worker-" + i;
      Thread t = NativeStack.thread(name, () -> runWorker(name, captioners));
      t.setDaemon(true);
      workers.add(t);
    }
  }

  /** Starts the workers; each opens its captioner. Returns once all are open (or one failed to open). */
  void start(Duration openTimeout) throws InterruptedException {
    workers.forEach(Thread::start);
    if (!started.await(openTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("workers did not open their captioners within " + openTimeout);
    }
    if (ledger.failure() != null) {
      throw new IllegalStateException("a worker failed to open its captioner", ledger.failure());
    }
  }

  /** Called on the stream thread: queues the job for fetching and returns at once. */
  void submit(Job job) {
    metrics.received();
    fetchStage.execute(() -> {
      try {
        fetch(job);
      } catch (RuntimeException | Error e) {
        failJob(job, e); // never let a job vanish with the pool thread: no outcome, no commit, the instance stops
      }
    });
  }

  private void fetch(Job job) {
    ImageReference ref;
    try {
      ref = codec.decode(job.source().topic(), job.value());
    } catch (InvalidEventException e) {
      emitError(job, null, ErrorCode.INVALID_EVENT, e.getMessage());
      return;
    } catch (SchemaRegistryException e) {
      // the record may be fine: stop without an outcome so it is redelivered once the registry is back
      log.error("schema registry unavailable for {}; stopping", job.source().eventId(), e);
      ledger.fail(job.ticket(), e);
      return;
    } catch (RuntimeException e) {
      emitError(job, null, ErrorCode.INTERNAL, "decoding the event failed: " + e);
      return;
    }
    long t0 = System.nanoTime();
    // a retry waits on the fetcher's timer, not on this thread: other records' fetches go on meanwhile
    fetcher.fetchAsync(ref.uri(), fetchStage).whenComplete((image, error) -> {
      try {
        fetched(job, ref, image, error, t0);
      } catch (RuntimeException | Error e) {
        failJob(job, e);
      }
    });
  }

  private void fetched(Job job, ImageReference ref, byte[] image, Throwable error, long t0) {
    Throwable cause = error instanceof CompletionException c && c.getCause() != null
        ? c.getCause() : error;
    if (cause == null) {
      metrics.fetched(image.length);
      double fetchMs = millisSince(t0);
      CacheKey key = cacheStep.key(ref, image);
      Outcome hit = cacheStep.hit(job, ref, key, fetchMs);
      if (hit != null) {
        emit(job, ref.id(), hit);
        return;
      }
      inference.add(new Fetched(job, ref, image, fetchMs, key));
    } else if (cause instanceof FetchException e) {
      if (stopping) {
        // close() stopped the fetch stage (the drain timed out): the record is fine and stays uncommitted, so it is
        // fetched again after the restart; an error event now would carry its eventId and win the dedupe
        log.debug("fetch of {} abandoned at shutdown: {}", job.source().eventId(), e.getMessage());
        return;
      }
      emitError(job, ref.id(), e.code(), e.getMessage(), e.attempts());
    } else {
      emitError(job, ref.id(), ErrorCode.INTERNAL, "fetch failed: " + cause, 1);
    }
  }

  private void runWorker(String name, Supplier<? extends ImageCaptioner> captioners) {
    ImageCaptioner captioner;
    try {
      captioner = captioners.get();
    } catch (RuntimeException | Error e) {
      log.error("{} could not open its captioner", name, e);
      ledger.fail(null, e);
      started.countDown();
      return;
    }
    cacheStep.modelOpened(captioner);
    metrics.workerStarted();
    started.countDown();
    try (captioner) {
      while (!stopping) {
        Fetched f = inference.poll(200, TimeUnit.MILLISECONDS);
        if (f != null) {
          metrics.busy();
          try {
            caption(name, captioner, f);
          } catch (RuntimeException | Error e) {
            failJob(f.job(), e); // the worker lives on; the record is neither answered nor committed
          } finally {
            metrics.idle();
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      metrics.workerStopped();
    }
  }

  private void caption(String worker, ImageCaptioner captioner, Fetched f) {
    Job job = f.job();
    ImageReference ref = f.ref();
    double queueMs = millisSince(job.receivedNanos()) - f.fetchMs();
    try {
      if (ref.deadline() != null && clock.instant().isAfter(ref.deadline())) {
        emitError(job, ref.id(), ErrorCode.DEADLINE_EXCEEDED, "deadline " + ref.deadline()
            + " passed before a worker was free");
        return;
      }
      CaptionOptions options;
      try {
        options = options(ref);
      } catch (IllegalArgumentException e) {
        emitError(job, ref.id(), ErrorCode.INVALID_EVENT, e.getMessage()); // the event's own values are invalid
        return;
      }
      CaptionResult result = captioner.caption(f.image(), options);
      OutcomeFactory.PipelineTimings t =
          new OutcomeFactory.PipelineTimings(queueMs, f.fetchMs(), millisSince(job.receivedNanos()));
      metrics.captioned(result, t.queue(), t.fetch(), t.total());
      Instant createdAt = clock.instant();
      Outcome outcome = outcomes.caption(job, ref, options, result, captioner.modelId(), captioner.variant(), worker,
          t, createdAt);
      cacheStep.remember(f.cacheKey(), job, result, captioner, createdAt); // before the outcome can be seen
      emit(job, ref.id(), outcome);
    } catch (CaptionException e) {
      emitError(job, ref.id(), OutcomeFactory.codeOf(e), e.getMessage());
    } catch (SchemaRegistryException e) {
      // the caption could not be encoded because the registry is unreachable: the record is fine, so no error
      // event; stop without an outcome so it is redelivered
      failJob(job, e);
    } catch (RuntimeException | Error e) {
      // an IllegalArgumentException or IllegalStateException from inside the engine is the engine's fault, not the
      // input's: INTERNAL (only the event's own validation above and in decode yields INVALID_EVENT).
      // An Error (StackOverflowError, OutOfMemoryError on one huge image, a native linkage error) is this record's
      // failure: it gets its INTERNAL error and the worker keeps serving instead of dying with the record unanswered
      log.warn("{} failed on {}", worker, job.source().eventId(), e);
      emitError(job, ref.id(), ErrorCode.INTERNAL, "caption failed: " + e);
    }
  }

  private CaptionOptions options(ImageReference ref) {
    return new CaptionOptions(ref.prompt(), config.effectiveMaxNewTokens(ref.maxNewTokens()), ref.longestEdge(), null,
        ref.deadline());
  }

  /** Sends the outcome; the ledger learns of the acknowledgement (or the failure, which stops the service). */
  private void emit(Job job, String imageId, Outcome outcome) {
    delivery.send(job, imageId, outcome);
  }

  /** Builds and sends an error outcome; when even that cannot be done the record stays unanswered and uncommitted. */
  private void emitError(Job job, String imageId, ErrorCode code, String message) {
    emitError(job, imageId, code, message, 1);
  }

  private void emitError(Job job, String imageId, ErrorCode code, String message, int attempts) {
    Outcome outcome;
    try {
      outcome = outcomes.error(job, imageId, code, message, attempts);
    } catch (RuntimeException | Error e) {
      failJob(job, e);
      return;
    }
    emit(job, imageId, outcome);
  }

  /** No outcome can be produced for the job: the ledger never commits it and the instance stops (redelivery). */
  private void failJob(Job job, Throwable cause) {
    log.error("no outcome for {}; stopping so the record is redelivered", job.source().eventId(), cause);
    ledger.fail(job.ticket(), cause);
  }

  private static double millisSince(long t0) {
    return (System.nanoTime() - t0) / 1e6;
  }

  /** Stops fetchers and workers; work not finished is simply not acknowledged and so never committed. */
  @Override
  public void close() {
    stopping = true;
    fetchStage.shutdownNow();
    delivery.close();
    for (Thread t : workers) {
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
