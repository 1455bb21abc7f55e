package io.captionstream.pipeline;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each job's outcome and reports its acknowledgement to the {@link OffsetLedger}. An outcome the producer or
 * broker refuses for good ({@link RefusedOutcome}) is replaced once by a minimal error event, so one record never
 * stops the instance; any other failure, or a refused replacement, fails the ledger (the instance stops and the
 * record is redelivered).
 */
final class OutcomeDelivery implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(OutcomeDelivery.class);

  private final OutcomeSink sink;
  private final OffsetLedger ledger;
  private final PipelineMetrics metrics;
  private final OutcomeFactory outcomes;
  /** Replacements are sent from here, never from the producer's I/O thread that reported the refusal. */
  private final ExecutorService replacements = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "outcome-replacement");
    t.setDaemon(true);
    return t;
  });

  OutcomeDelivery(OutcomeSink sink, OffsetLedger ledger, PipelineMetrics metrics, OutcomeFactory outcomes) {
    this.sink = sink;
    this.ledger = ledger;
    this.metrics = metrics;
    this.outcomes = outcomes;
  }

  /** Sends the outcome of {@code job} ({@code imageId} may be null). */
  void send(Job job, String imageId, Outcome outcome) {
    send(job, imageId, outcome, true);
  }

  private void send(Job job, String imageId, Outcome outcome, boolean mayReplace) {
    CompletableFuture<Void> sent;
    try {
      sent = sink.send(outcome);
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    sent.whenComplete((ok, error) -> {
      if (error == null) {
        metrics.acknowledged(outcome);
        ledger.ack(job.ticket());
      } else if (mayReplace && RefusedOutcome.isPermanent(error)) {
        log.warn("outcome of {} refused ({}); writing a minimal error event instead", job.source().eventId(),
            error.toString());
        replace(job, imageId, error);
      } else {
        log.error("outcome {} could not be produced; stopping so the record is redelivered",
            outcome.source().eventId(), error);
        ledger.fail(job.ticket(), error);
      }
    });
  }

  private void replace(Job job, String imageId, Throwable why) {
    try {
      replacements.execute(() -> {
        try {
          send(job, imageId, outcomes.refused(job, imageId, why), false);
        } catch (RuntimeException e) {
          log.error("no replacement outcome for {}; stopping so the record is redelivered", job.source().eventId(), e);
          ledger.fail(job.ticket(), e);
        }
      });
    } catch (RejectedExecutionException e) {
      log.debug("replacement of {} abandoned at shutdown; the record stays uncommitted", job.source().eventId());
    }
  }

  @Override
  public void close() {
    replacements.shutdownNow();
  }
}
