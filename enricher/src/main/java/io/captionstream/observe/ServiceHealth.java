package io.captionstream.observe;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Liveness and readiness of the service. Until {@link #attach} is called (models loading, Kafka not started) the
 * service is live but not ready. Once attached, it is ready only while Kafka Streams is {@code RUNNING} and every
 * worker has loaded its sessions; it is live until the service fails or stops.
 */
public final class ServiceHealth {

  /** What the running service reports; every method is cheap and thread-safe. */
  public interface State {
    /** The Kafka Streams state name. */
    String streamsState();

    /** Whether every worker has opened its model sessions. */
    boolean workersLoaded();

    /** Ready to take work (the pipeline's definition: Streams RUNNING, every worker loaded, no failure). */
    boolean ready();

    /** False once the service failed or stopped. */
    boolean live();
  }

  private final AtomicReference<State> state = new AtomicReference<>();
  private volatile String startupFailure;

  public void attach(State s) {
    state.set(s);
  }

  /** Marks a failure before the service could start (e.g. the model did not load): live turns DOWN. */
  public void startupFailed(String why) {
    startupFailure = why;
  }

  public HealthCheck live() {
    return () -> {
      if (startupFailure != null) {
        return new HealthCheck.Result(false, "startup failed: " + startupFailure);
      }
      State s = state.get();
      if (s == null) {
        return new HealthCheck.Result(true, "starting");
      }
      return new HealthCheck.Result(s.live(), "streams " + s.streamsState());
    };
  }

  public HealthCheck ready() {
    return () -> {
      State s = state.get();
      if (s == null) {
        return new HealthCheck.Result(false,
            startupFailure != null ? "startup failed: " + startupFailure : "loading models");
      }
      String streams = s.streamsState();
      boolean loaded = s.workersLoaded();
      boolean up = s.ready();
      return new HealthCheck.Result(up, "streams " + streams + ", workers " + (loaded ? "loaded" : "loading"));
    };
  }
}
