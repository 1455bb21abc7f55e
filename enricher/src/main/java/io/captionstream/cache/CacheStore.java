package io.captionstream.cache;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The cache's part of the topology: a global store over the cache topic, in memory and bounded (Kafka Streams'
 * LRU map: {@code maxEntries}, least recently used dropped; get and put are synchronized, so fetch threads may read
 * it while the global thread writes). Every instance restores it from the whole topic at start and then follows the
 * topic, so an entry written by one instance serves all.
 */
public final class CacheStore {

  public static final String STORE = "caption-cache-store";
  public static final String SOURCE = "caption-cache-source";
  public static final String PROCESSOR = "caption-cache-updater";

  private CacheStore() {}

  /** Adds the global store reading {@code settings.topic()} to {@code topology}. */
  public static Topology addTo(Topology topology, CacheSettings settings) {
    return topology.addGlobalStore(
        Stores.keyValueStoreBuilder(Stores.lruMap(STORE, settings.maxEntries()), Serdes.Bytes(), Serdes.ByteArray())
            .withLoggingDisabled(),
        SOURCE, Serdes.Bytes().deserializer(), Serdes.ByteArray().deserializer(), settings.topic(), PROCESSOR,
        Updater::new);
  }

  /** A read handle of the running instance's global store (interactive query; throws until it is running). */
  public static ReadOnlyKeyValueStore<Bytes, byte[]> of(KafkaStreams streams) {
    return streams.store(StoreQueryParameters.fromNameAndType(STORE, QueryableStoreTypes.keyValueStore()));
  }

  /** Keeps the store equal to the topic: a record puts its entry, a tombstone removes it. */
  private static final class Updater implements Processor<Bytes, byte[], Void, Void> {

    private KeyValueStore<Bytes, byte[]> store;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
      store = context.getStateStore(STORE);
    }

    @Override
    public void process(Record<Bytes, byte[]> record) {
      if (record.key() == null) {
        return;
      }
      if (record.value() == null) {
        store.delete(record.key());
      } else {
        store.put(record.key(), record.value());
      }
    }
  }
}
