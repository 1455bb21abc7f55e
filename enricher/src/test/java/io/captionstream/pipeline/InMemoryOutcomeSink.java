package io.captionstream.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Outcome sink of unit tests: keeps every outcome, acknowledges at once. */
final class InMemoryOutcomeSink implements OutcomeSink {

  private final List<Outcome> outcomes = new ArrayList<>();

  @Override
  public synchronized CompletableFuture<Void> send(Outcome outcome) {
    outcomes.add(outcome);
    notifyAll();
    return CompletableFuture.completedFuture(null);
  }

  synchronized List<Outcome> awaitCount(int n, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (outcomes.size() < n) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("expected " + n + " outcomes, got " + outcomes.size() + ": " + outcomes);
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return List.copyOf(outcomes);
  }

  synchronized List<Outcome> all() {
    return new ArrayList<>(outcomes);
  }
}
