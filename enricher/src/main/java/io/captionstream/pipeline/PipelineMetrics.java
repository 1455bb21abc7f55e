package io.captionstream.pipeline;

import io.captionstream.generate.CaptionResult;
import io.captionstream.observe.EnricherMetrics;
import io.captionstream.schema.ErrorCode;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one pipeline instance: busy workers (with peak) and acknowledged outcomes per kind. Everything is also
 * forwarded to the service's {@link EnricherMetrics} (Prometheus).
 */
final class PipelineMetrics {

  private final EnricherMetrics exported;

  PipelineMetrics() {
    this(EnricherMetrics.inMemory());
  }

  PipelineMetrics(EnricherMetrics exported) {
    this.exported = exported;
  }

  void received() {
    exported.recordIn();
  }

  void fetched(long bytes) {
    exported.fetched(bytes);
  }

  void captioned(CaptionResult result, double queueMs, double fetchMs, double totalMs) {
    exported.captioned(result, queueMs, fetchMs, totalMs);
  }

  private final AtomicInteger busy = new AtomicInteger();
  private final AtomicInteger peakBusy = new AtomicInteger();
  private final AtomicInteger workersAlive = new AtomicInteger();
  private final LongAdder captions = new LongAdder();
  private final AtomicLongArray errors = new AtomicLongArray(ErrorCode.values().length);

  void workerStarted() {
    workersAlive.incrementAndGet();
  }

  void workerStopped() {
    workersAlive.decrementAndGet();
  }

  void busy() {
    int now = busy.incrementAndGet();
    peakBusy.accumulateAndGet(now, Math::max);
  }

  void idle() {
    busy.decrementAndGet();
  }

  void acknowledged(Outcome outcome) {
    exported.outcome(outcome.code());
    if (outcome.isError()) {
      errors.incrementAndGet(outcome.code().ordinal());
    } else {
      captions.increment();
    }
  }

  int busyWorkers() {
    return busy.get();
  }

  int peakBusyWorkers() {
    return peakBusy.get();
  }

  int workersAlive() {
    return workersAlive.get();
  }

  long captions() {
    return captions.sum();
  }

  long errors() {
    long sum = 0;
    for (int i = 0; i < errors.length(); i++) {
      sum += errors.get(i);
    }
    return sum;
  }

  Map<ErrorCode, Long> errorsByCode() {
    Map<ErrorCode, Long> m = new EnumMap<>(ErrorCode.class);
    for (ErrorCode c : ErrorCode.values()) {
      long n = errors.get(c.ordinal());
      if (n > 0) {
        m.put(c, n);
      }
    }
    return m;
  }
}
