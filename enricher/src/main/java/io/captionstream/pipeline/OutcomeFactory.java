package io.captionstream.pipeline;

import io.captionstream.CaptionException;
import io.captionstream.cache.CacheEntry;
import io.captionstream.generate.CaptionOptions;
import io.captionstream.generate.CaptionResult;
import io.captionstream.generate.EngineTimings;
import io.captionstream.schema.CaptionError;
import io.captionstream.schema.CaptionEvent;
import io.captionstream.schema.ErrorCode;
import io.captionstream.schema.ImageReference;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

/** Turns a job's result or failure into the one {@link Outcome} of its input record. */
final class OutcomeFactory {

  /** Larger payloads are cut in error events so an error event always fits a default 1 MB Kafka message. */
  static final int MAX_ERROR_PAYLOAD_BYTES = 256 * 1024;
  /** The {@code worker} of a caption served from the cache. */
  static final String CACHE_WORKER = "cache";

  private final Topics topics;
  private final EventCodec codec;
  private final String instanceId;
  private final Clock clock;

  OutcomeFactory(Topics topics, EventCodec codec, String instanceId, Clock clock) {
    this.topics = topics;
    this.codec = codec;
    this.instanceId = instanceId;
    this.clock = clock;
  }

  /** Stage timings outside the engine, in milliseconds. */
  record PipelineTimings(double queue, double fetch, double total) {}

  Outcome caption(Job job, ImageReference ref, CaptionOptions options, CaptionResult result, String modelId,
      String variant, String worker, PipelineTimings t) {
    return caption(job, ref, options, result, modelId, variant, worker, t, clock.instant());
  }

  /** Like the other, with the event's {@code createdAt} given (the cache entry records the same instant). */
  Outcome caption(Job job, ImageReference ref, CaptionOptions options, CaptionResult result, String modelId,
      String variant, String worker, PipelineTimings t, Instant createdAt) {
    EngineTimings e = result.timings();
    CaptionEvent event = new CaptionEvent(
        job.source().eventId(),
        ref.id(),
        result.caption(),
        options.promptOrDefault(),
        new CaptionEvent.ModelInfo(modelId, variant),
        new CaptionEvent.TokenCounts(result.promptTokens(), result.imageTokens(), result.generatedTokens()),
        new CaptionEvent.StageTimings(t.queue(), t.fetch(), e.decode(), e.preprocess(), e.vision(), e.prefill(),
            e.firstToken(), e.decodeLoop(), t.total()),
        result.tokensPerSecond(),
        worker,
        instanceId,
        job.source(),
        ref.attributes(),
        createdAt);
    return new Outcome(topics.output(), job.source(), job.key(), job.headers(), codec.encode(topics.output(), event), null);
  }

  /**
   * The caption event of a cache hit: the entry's caption, token counts and model; this record's queue, fetch and
   * total timings, engine stages 0 (no model ran); a {@code cache} object naming the event that computed it.
   */
  Outcome cachedCaption(Job job, ImageReference ref, CaptionOptions options, CacheEntry entry, PipelineTimings t) {
    CaptionEvent event = new CaptionEvent(
        job.source().eventId(),
        ref.id(),
        entry.caption(),
        options.promptOrDefault(),
        new CaptionEvent.ModelInfo(entry.modelId(), entry.variant()),
        new CaptionEvent.TokenCounts(entry.promptTokens(), entry.imageTokens(), entry.generatedTokens()),
        new CaptionEvent.StageTimings(t.queue(), t.fetch(), 0, 0, 0, 0, 0, 0, t.total()),
        0,
        CACHE_WORKER,
        instanceId,
        job.source(),
        ref.attributes(),
        clock.instant(),
        new CaptionEvent.CacheInfo(true, entry.eventId(), entry.createdAt(), Math.max(0, entry.engineMs().total())));
    return new Outcome(topics.output(), job.source(), job.key(), job.headers(), codec.encode(topics.output(), event), null);
  }

  Outcome error(Job job, String imageId, ErrorCode code, String message) {
    return error(job, imageId, code, message, 1);
  }

  /** An error outcome after {@code attempts} tries (more than 1 when a transient fetch failure was retried). */
  Outcome error(Job job, String imageId, ErrorCode code, String message, int attempts) {
    byte[] value = job.value() == null ? new byte[0] : job.value();
    boolean cut = value.length > MAX_ERROR_PAYLOAD_BYTES;
    byte[] kept = cut ? Arrays.copyOf(value, MAX_ERROR_PAYLOAD_BYTES) : value;
    String text = utf8(kept);
    String payload = text != null ? text : Base64.getEncoder().encodeToString(kept);
    String encoding = text != null ? "utf-8" : "base64";
    String fullMessage = cut ? message + " (payload cut to its first " + MAX_ERROR_PAYLOAD_BYTES + " of "
        + value.length + " bytes)" : message;
    CaptionError error = new CaptionError(job.source().eventId(), imageId, code, fullMessage, attempts, job.source(),
        job.value() == null ? null : payload, job.value() == null ? null : encoding, clock.instant());
    return new Outcome(topics.errors(), job.source(), job.key(), job.headers(), codec.encode(topics.errors(), error), code);
  }

  /** Engine reasons map to the error code of the same name. */
  static ErrorCode codeOf(CaptionException e) {
    return switch (e.reason()) {
      case UNSUPPORTED_FORMAT -> ErrorCode.UNSUPPORTED_FORMAT;
      case CORRUPT_IMAGE -> ErrorCode.CORRUPT_IMAGE;
      case TOO_LARGE -> ErrorCode.TOO_LARGE;
      case INVALID_REQUEST -> ErrorCode.INVALID_EVENT;
      case INFERENCE_FAILED -> ErrorCode.INFERENCE_FAILED;
      case DEADLINE_EXCEEDED -> ErrorCode.DEADLINE_EXCEEDED;
    };
  }

  private static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
