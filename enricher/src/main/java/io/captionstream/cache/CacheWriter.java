package io.captionstream.cache;

import java.util.concurrent.CompletableFuture;

/** Where cache entries go: the cache topic, through the outcomes' producer in the service. */
@FunctionalInterface
public interface CacheWriter {

  /** Sends one entry; the future completes when it is written (or failed). Must not block for long. */
  CompletableFuture<Void> write(byte[] key, byte[] value);
}
