package io.captionstream.pipeline;

import io.captionstream.schema.ErrorCode;
import java.util.Map;

/** What health checks and metrics need to know about a running pipeline. All methods are cheap and thread-safe. */
public interface PipelineStatus {

  /** The Kafka Streams state name ({@code CREATED}, {@code REBALANCING}, {@code RUNNING}, {@code ERROR}, ...). */
  String streamsState();

  /** Ready to process: Streams is {@code RUNNING} or {@code REBALANCING}, every worker is alive, no failure. */
  boolean ready();

  /** Alive: not failed and not shut down. */
  boolean live();

  int workers();

  int busyWorkers();

  /** The most workers ever busy at the same time. */
  int peakBusyWorkers();

  /** Records handed off whose outcome is not yet acknowledged. */
  int inFlight();

  /** Records handed off and not yet committed (bounded by {@link #windowSize()}). */
  int uncommitted();

  int windowSize();

  long captions();

  long errors();

  Map<ErrorCode, Long> errorsByCode();
}
