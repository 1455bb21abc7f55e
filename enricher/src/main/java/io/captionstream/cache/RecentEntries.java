package io.captionstream.cache;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * This instance's own latest writes, read before the global store: an entry is served by the instance that wrote it
 * at once, before the global store thread has read it back from the topic. Bounded, least recently used dropped.
 */
final class RecentEntries {

  private final Map<String, byte[]> entries;

  RecentEntries(int capacity) {
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
        return size() > capacity;
      }
    };
  }

  synchronized byte[] get(CacheKey key) {
    return entries.get(key.hex());
  }

  synchronized void put(CacheKey key, byte[] value) {
    entries.put(key.hex(), value);
  }
}
