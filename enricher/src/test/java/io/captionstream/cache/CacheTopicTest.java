package io.captionstream.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The wait for a cache topic's partitions: a topic the controller has just created is not yet in every broker's
 * metadata, and Kafka Streams refuses to start a global store whose topic shows no partitions (CI saw exactly that
 * when two instances started at once on a new cache topic).
 */
class CacheTopicTest {

  private static final Duration PAUSE = Duration.ofMillis(1);
  private static final Node BROKER = new Node(1, "broker", 9092);

  private static PartitionInfo led(int partition) {
    return new PartitionInfo("cache", partition, BROKER, new Node[] {BROKER}, new Node[] {BROKER});
  }

  private static PartitionInfo leaderless(int partition) {
    return new PartitionInfo("cache", partition, null, new Node[] {BROKER}, new Node[0]);
  }

  /** Answers the given views in turn, then the last one forever; counts the looks. */
  private static CacheTopic.PartitionView views(AtomicInteger looks, List<List<PartitionInfo>> answers) {
    Deque<List<PartitionInfo>> left = new ArrayDeque<>(answers);
    return topic -> {
      looks.incrementAndGet();
      return left.size() > 1 ? left.poll() : left.peek();
    };
  }

  @Test
  void aTopicThatShowsNoPartitionsAtFirstIsUsableOnceItsPartitionsAppear() throws Exception {
    AtomicInteger looks = new AtomicInteger();
    CacheTopic.PartitionView view = views(looks, List.of(List.of(), List.of(), List.of(led(0))));

    assertThat(CacheTopic.awaitVisible(view, "cache", Duration.ofSeconds(10), PAUSE)).isTrue();
    assertThat(looks).hasValue(3);
  }

  @Test
  void aPartitionWithoutALeaderIsWaitedFor() throws Exception {
    AtomicInteger looks = new AtomicInteger();
    CacheTopic.PartitionView view = views(looks,
        List.of(List.of(led(0), leaderless(1)), List.of(led(0), led(1))));

    assertThat(CacheTopic.awaitVisible(view, "cache", Duration.ofSeconds(10), PAUSE)).isTrue();
    assertThat(looks).hasValue(2);
  }

  @Test
  void metadataTimeOutsCountAsNotVisibleYet() throws Exception {
    AtomicInteger looks = new AtomicInteger();
    CacheTopic.PartitionView view = topic -> {
      if (looks.incrementAndGet() < 3) {
        throw new TimeoutException("no metadata yet");
      }
      return List.of(led(0));
    };

    assertThat(CacheTopic.awaitVisible(view, "cache", Duration.ofSeconds(10), PAUSE)).isTrue();
    assertThat(looks).hasValue(3);
  }

  @Test
  void aTopicThatNeverShowsPartitionsTurnsTheCacheOffAfterTheTimeout() throws Exception {
    AtomicInteger looks = new AtomicInteger();
    CacheTopic.PartitionView view = views(looks, List.of(List.of()));

    assertThat(CacheTopic.awaitVisible(view, "cache", Duration.ofMillis(50), PAUSE)).isFalse();
    assertThat(looks.get()).isGreaterThan(1);
  }
}
