package io.captionstream.pipeline;

import io.captionstream.cache.CacheEntry;
import io.captionstream.cache.CacheKey;
import io.captionstream.cache.CaptionCache;
import io.captionstream.cache.ModelIdentity;
import io.captionstream.generate.CaptionOptions;
import io.captionstream.generate.CaptionResult;
import io.captionstream.generate.ImageCaptioner;
import io.captionstream.schema.ImageReference;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker pool's use of the {@link CaptionCache}: after the fetch a hit becomes the record's caption outcome at
 * once (on the fetch thread, no worker involved); after a computed caption its entry is remembered. Nothing here
 * throws for a cache reason: whatever goes wrong, the record is computed as without a cache.
 */
final class CacheStep {

  private static final Logger log = LoggerFactory.getLogger(CacheStep.class);

  private final CaptionCache cache;
  private final OutcomeFactory outcomes;
  private final Function<ImageReference, CaptionOptions> options;

  CacheStep(CaptionCache cache, OutcomeFactory outcomes, Function<ImageReference, CaptionOptions> options) {
    this.cache = cache;
    this.outcomes = outcomes;
    this.options = options;
  }

  /** A worker opened its captioner: its model identity is part of every key. */
  void modelOpened(ImageCaptioner captioner) {
    try {
      cache.modelOpened(ModelIdentity.of(captioner));
    } catch (RuntimeException e) {
      log.warn("model identity unknown; the caption cache stays unused: {}", e.toString());
    }
  }

  /** The record's key, or {@code null} when it is not cached (cache off, opted out). */
  CacheKey key(ImageReference ref, byte[] image) {
    return cache.keyFor(image, ref, () -> options.apply(ref)).orElse(null);
  }

  /** The caption outcome of a hit, or {@code null} on a miss (the record goes to a worker). */
  Outcome hit(Job job, ImageReference ref, CacheKey key, double fetchMs) {
    if (key == null) {
      return null;
    }
    Optional<CacheEntry> entry = cache.lookup(key);
    if (entry.isEmpty()) {
      return null;
    }
    try {
      double total = (System.nanoTime() - job.receivedNanos()) / 1e6;
      OutcomeFactory.PipelineTimings t = new OutcomeFactory.PipelineTimings(Math.max(0, total - fetchMs), fetchMs,
          total);
      return outcomes.cachedCaption(job, ref, options.apply(ref), entry.get(), t);
    } catch (RuntimeException e) {
      log.debug("cache hit of {} not usable; computing: {}", job.source().eventId(), e.toString());
      return null;
    }
  }

  /** Remembers the caption a worker computed for the record (no-op when the record was not cached). */
  void remember(CacheKey key, Job job, CaptionResult result, ImageCaptioner captioner, Instant createdAt) {
    if (key == null) {
      return;
    }
    try {
      cache.remember(key, CacheEntry.of(result, captioner.modelId(), captioner.variant(), job.source().eventId(),
          createdAt));
    } catch (RuntimeException e) {
      log.warn("cache entry of {} not kept: {}", job.source().eventId(), e.toString());
    }
  }
}
