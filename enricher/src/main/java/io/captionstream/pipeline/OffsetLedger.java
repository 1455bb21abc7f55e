package io.captionstream.pipeline;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Per-instance record of every input offset handed to the workers and not yet covered by a commit. It decides the
 * highest offset that may be committed per partition (never past an outcome that is not yet acknowledged) and owns
 * the in-flight window: a permit is taken per hand-off and given back only once a commit covers the record, so at
 * most {@code window} records are ever processed-but-uncommitted, which bounds the duplicates a crash can cause.
 */
public final class OffsetLedger {

  /** One hand-off; acknowledging a ticket of a partition that was revoked since is a no-op. */
  public record Ticket(TopicPartition partition, long offset, Object incarnation) {}

  private static final class PartitionState {
    final TreeSet<Long> unacked = new TreeSet<>();
    final TreeSet<Long> uncommitted = new TreeSet<>();
    long committed = -1;
  }

  private final Semaphore window;
  private final int windowSize;
  private final Map<TopicPartition, PartitionState> partitions = new HashMap<>();
  private Throwable failure;

  public OffsetLedger(int windowSize) {
    this.windowSize = windowSize;
    this.window = new Semaphore(windowSize);
  }

  public int windowSize() {
    return windowSize;
  }

  /** Takes one window permit, waiting at most {@code timeout}; {@code false} when the window stayed full. */
  public boolean acquire(Duration timeout) throws InterruptedException {
    return window.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Starts tracking a partition (its task was created); a previous incarnation's tickets become stale. */
  public synchronized void open(TopicPartition tp) {
    PartitionState old = partitions.put(tp, new PartitionState());
    if (old != null) {
      window.release(old.uncommitted.size());
    }
  }

  /** Stops tracking a partition (its task was closed or revoked) and frees its window permits. */
  public synchronized void forget(TopicPartition tp) {
    PartitionState old = partitions.remove(tp);
    if (old != null) {
      window.release(old.uncommitted.size());
    }
    notifyAll();
  }

  /** Records a hand-off; the caller holds a window permit for it. */
  public synchronized Ticket handOff(TopicPartition tp, long offset) {
    PartitionState state = partitions.computeIfAbsent(tp, k -> new PartitionState());
    if (!state.uncommitted.add(offset)) {
      window.release(); // the same offset again (re-delivery inside one incarnation): one permit is enough
    }
    state.unacked.add(offset);
    return new Ticket(tp, offset, state);
  }

  /** The outcome of a ticket is acknowledged by the brokers. */
  public synchronized void ack(Ticket ticket) {
    PartitionState state = partitions.get(ticket.partition());
    if (state == ticket.incarnation()) {
      state.unacked.remove(ticket.offset());
      notifyAll();
    }
  }

  /** The outcome of a ticket could not be produced: nothing at or after it may ever be committed by this instance. */
  public synchronized void fail(Ticket ticket, Throwable cause) {
    if (failure == null) {
      failure = cause;
    }
    notifyAll();
  }

  public synchronized Throwable failure() {
    return failure;
  }

  /** Lowers each requested commit offset to the first offset whose outcome is not yet acknowledged. */
  public synchronized Map<TopicPartition, OffsetAndMetadata> clamp(Map<TopicPartition, OffsetAndMetadata> requested) {
    Map<TopicPartition, OffsetAndMetadata> safe = new HashMap<>();
    for (Map.Entry<TopicPartition, OffsetAndMetadata> e : requested.entrySet()) {
      PartitionState state = partitions.get(e.getKey());
      long offset = e.getValue().offset();
      if (state != null && !state.unacked.isEmpty()) {
        offset = Math.min(offset, state.unacked.first());
      }
      if (state != null && (offset <= state.committed
          || (!state.uncommitted.isEmpty() && offset <= state.uncommitted.first()))) {
        continue; // nothing new is safe to commit for this partition
      }
      safe.put(e.getKey(), offset == e.getValue().offset()
          ? e.getValue()
          : new OffsetAndMetadata(offset, e.getValue().leaderEpoch(), e.getValue().metadata()));
    }
    return safe;
  }

  /** Commit offsets that are safe right now for every tracked partition with acknowledged, uncommitted records. */
  public synchronized Map<TopicPartition, OffsetAndMetadata> committableNow() {
    Map<TopicPartition, OffsetAndMetadata> now = new HashMap<>();
    partitions.forEach((tp, state) -> {
      if (state.uncommitted.isEmpty()) {
        return;
      }
      long safe = state.unacked.isEmpty() ? state.uncommitted.last() + 1 : state.unacked.first();
      if (safe > state.committed && safe > state.uncommitted.first()) {
        now.put(tp, new OffsetAndMetadata(safe));
      }
    });
    return now;
  }

  /** The brokers accepted these commit offsets: the records below them leave the window. */
  public synchronized void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
    offsets.forEach((tp, om) -> {
      PartitionState state = partitions.get(tp);
      if (state != null) {
        var covered = state.uncommitted.headSet(om.offset());
        window.release(covered.size());
        covered.clear();
        state.committed = Math.max(state.committed, om.offset());
      }
    });
    notifyAll();
  }

  /** Records handed off whose outcome is not yet acknowledged. */
  public synchronized int unacknowledged() {
    return partitions.values().stream().mapToInt(s -> s.unacked.size()).sum();
  }

  /** Records handed off and not yet covered by a commit (the window in use). */
  public synchronized int uncommitted() {
    return partitions.values().stream().mapToInt(s -> s.uncommitted.size()).sum();
  }

  /** Waits until every hand-off of one partition is acknowledged (or failed); {@code false} on timeout. */
  public synchronized boolean awaitAcknowledged(TopicPartition tp, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    PartitionState state;
    while ((state = partitions.get(tp)) != null && !state.unacked.isEmpty() && failure == null) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return failure == null;
  }

  /** Waits until every hand-off so far is acknowledged (or failed); {@code false} on timeout. */
  public synchronized boolean awaitAllAcknowledged(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (unacknowledged() > 0 && failure == null) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return failure == null;
  }
}
