/**
 * The caption cache (docs/cache.md): a compacted topic read by every instance as a Kafka Streams global store, so a
 * repeated image with the same model and options is answered with a fetch instead of an inference. {@link
 * io.captionstream.cache.CaptionCache} is the pipeline's one entry point; {@link io.captionstream.cache.CacheKey}
 * says what an entry depends on.
 */
package io.captionstream.cache;
