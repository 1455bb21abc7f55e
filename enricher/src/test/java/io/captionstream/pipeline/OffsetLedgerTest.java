package io.captionstream.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetLedgerTest {

  private static final TopicPartition P0 = new TopicPartition("images", 0);
  private static final TopicPartition P1 = new TopicPartition("images", 1);
  private static final Duration NOW = Duration.ZERO;

  private final OffsetLedger ledger = new OffsetLedger(4);

  private OffsetLedger.Ticket handOff(TopicPartition tp, long offset) throws InterruptedException {
    assertThat(ledger.acquire(NOW)).as("window permit for %s@%d", tp, offset).isTrue();
    return ledger.handOff(tp, offset);
  }

  @Test
  void clampsCommitToTheFirstUnacknowledgedOffset() throws Exception {
    ledger.open(P0);
    var t10 = handOff(P0, 10);
    var t11 = handOff(P0, 11);
    var t12 = handOff(P0, 12);
    ledger.ack(t10);
    ledger.ack(t12); // 11 still in flight
    Map<TopicPartition, OffsetAndMetadata> safe = ledger.clamp(Map.of(P0, new OffsetAndMetadata(13, "meta")));
    assertThat(safe.get(P0).offset()).isEqualTo(11);
    assertThat(safe.get(P0).metadata()).isEqualTo("meta");
    ledger.ack(t11);
    assertThat(ledger.clamp(Map.of(P0, new OffsetAndMetadata(13))).get(P0).offset()).isEqualTo(13);
  }

  @Test
  void skipsPartitionsWithNothingNewThatIsSafe() throws Exception {
    ledger.open(P0);
    handOff(P0, 0);
    assertThat(ledger.clamp(Map.of(P0, new OffsetAndMetadata(1)))).isEmpty();
  }

  @Test
  void untrackedPartitionsPassThrough() {
    assertThat(ledger.clamp(Map.of(P1, new OffsetAndMetadata(7))).get(P1).offset()).isEqualTo(7);
  }

  @Test
  void windowPermitsReturnOnlyWhenACommitCoversTheRecord() throws Exception {
    ledger.open(P0);
    var tickets = new OffsetLedger.Ticket[4];
    for (int i = 0; i < 4; i++) {
      tickets[i] = handOff(P0, i);
    }
    assertThat(ledger.acquire(NOW)).as("window full").isFalse();
    for (var t : tickets) {
      ledger.ack(t);
    }
    assertThat(ledger.acquire(NOW)).as("acknowledged but not committed still counts").isFalse();
    assertThat(ledger.committableNow()).containsEntry(P0, new OffsetAndMetadata(4));
    ledger.committed(Map.of(P0, new OffsetAndMetadata(2)));
    assertThat(ledger.uncommitted()).isEqualTo(2);
    assertThat(ledger.acquire(NOW)).isTrue();
    assertThat(ledger.acquire(NOW)).isTrue();
    assertThat(ledger.acquire(NOW)).isFalse();
  }

  @Test
  void acknowledgementOfARevokedIncarnationIsIgnored() throws Exception {
    ledger.open(P0);
    var stale = handOff(P0, 5);
    ledger.forget(P0);
    ledger.open(P0);
    var fresh = handOff(P0, 5);
    ledger.ack(stale);
    assertThat(ledger.unacknowledged()).isEqualTo(1);
    assertThat(ledger.clamp(Map.of(P0, new OffsetAndMetadata(6)))).isEmpty();
    ledger.ack(fresh);
    assertThat(ledger.clamp(Map.of(P0, new OffsetAndMetadata(6))).get(P0).offset()).isEqualTo(6);
  }

  @Test
  void forgettingAPartitionFreesItsPermits() throws Exception {
    ledger.open(P0);
    ledger.open(P1);
    handOff(P0, 0);
    handOff(P0, 1);
    handOff(P1, 0);
    handOff(P1, 1);
    assertThat(ledger.acquire(NOW)).isFalse();
    ledger.forget(P1);
    assertThat(ledger.acquire(NOW)).isTrue();
    assertThat(ledger.uncommitted()).isEqualTo(2);
  }

  @Test
  void awaitAllAcknowledgedTimesOutWhileWorkIsInFlight() throws Exception {
    ledger.open(P0);
    var t = handOff(P0, 0);
    assertThat(ledger.awaitAllAcknowledged(Duration.ofMillis(50))).isFalse();
    Thread acker = new Thread(() -> ledger.ack(t));
    acker.start();
    assertThat(ledger.awaitAllAcknowledged(Duration.ofSeconds(5))).isTrue();
  }

  @Test
  void aFailedOutcomeIsReported() throws Exception {
    ledger.open(P0);
    var t = handOff(P0, 0);
    ledger.fail(t, new IllegalStateException("broker gone"));
    assertThat(ledger.failure()).hasMessage("broker gone");
    assertThat(ledger.clamp(Map.of(P0, new OffsetAndMetadata(1)))).isEmpty();
  }
}
