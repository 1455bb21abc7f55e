package io.captionstream.pipeline;

import io.captionstream.schema.ErrorCode;
import java.util.Map;

/** What health checks and metrics need to know about a running pipeline. All methods are cheap and thread-safe. */
public interface PipelineStatus {

  /** The Kafka Streams state name ({@code CREATED}, {@code REBALANCING}, {@code RUNNING}, {@code ERROR}, ...). */
  String streamsState();

  /**
   * Ready to process: Streams is {@code RUNNING}, every worker is alive with its sessions, no failure. The one
   * definition of ready: {@code /health/ready} answers this.
   */
  boolean ready();

  /** Every worker has opened its sessions and is alive. */
  boolean workersLoaded();

  /** {@link #ready()} from its parts. */
  static boolean ready(String streamsState, boolean live, boolean workersLoaded) {
    return "RUNNING".equals(streamsState) && live && workersLoaded;
  }

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
