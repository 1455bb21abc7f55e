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
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Turns a job's result or failure into the one {@link Outcome} of its input record. Every outcome it builds fits
 * the producer's {@link OutcomeLimits}: echoed values are bounded, and an outcome whose encoding is still too large
 * is replaced by a minimal {@code OUTCOME_TOO_LARGE} error event.
 */
final class OutcomeFactory {

  /** Attribute added in place of the attributes dropped for size. */
  static final String TRUNCATED_ATTRIBUTES_KEY = "captionstream.truncated";
  /** The {@code worker} of a caption served from the cache. */
  static final String CACHE_WORKER = "cache";

  private final Topics topics;
  private final EventCodec codec;
  private final String instanceId;
  private final Clock clock;
  private final OutcomeLimits limits;

  OutcomeFactory(Topics topics, EventCodec codec, String instanceId, Clock clock, OutcomeLimits limits) {
    this.topics = topics;
    this.codec = codec;
    this.instanceId = instanceId;
    this.clock = clock;
    this.limits = limits;
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
        BoundedText.truncate(ref.id(), OutcomeLimits.MAX_ID_CHARS),
        result.caption(),
        BoundedText.truncate(options.promptOrDefault(), OutcomeLimits.MAX_PROMPT_ECHO_CHARS),
        new CaptionEvent.ModelInfo(modelId, variant),
        new CaptionEvent.TokenCounts(result.promptTokens(), result.imageTokens(), result.generatedTokens()),
        new CaptionEvent.StageTimings(t.queue(), t.fetch(), e.decode(), e.preprocess(), e.vision(), e.prefill(),
            e.firstToken(), e.decodeLoop(), t.total()),
        result.tokensPerSecond(),
        worker,
        instanceId,
        job.source(),
        boundedAttributes(ref.attributes()),
        createdAt);
    return fitted(job, ref.id(), new Outcome(topics.output(), job.source(), job.key(), job.headers(),
        codec.encode(topics.output(), event), null));
  }

  /**
   * The caption event of a cache hit: the entry's caption, token counts and model; this record's queue, fetch and
   * total timings, engine stages 0 (no model ran); a {@code cache} object naming the event that computed it. Bounded
   * like every outcome.
   */
  Outcome cachedCaption(Job job, ImageReference ref, CaptionOptions options, CacheEntry entry, PipelineTimings t) {
    CaptionEvent event = new CaptionEvent(
        job.source().eventId(),
        BoundedText.truncate(ref.id(), OutcomeLimits.MAX_ID_CHARS),
        entry.caption(),
        BoundedText.truncate(options.promptOrDefault(), OutcomeLimits.MAX_PROMPT_ECHO_CHARS),
        new CaptionEvent.ModelInfo(entry.modelId(), entry.variant()),
        new CaptionEvent.TokenCounts(entry.promptTokens(), entry.imageTokens(), entry.generatedTokens()),
        new CaptionEvent.StageTimings(t.queue(), t.fetch(), 0, 0, 0, 0, 0, 0, t.total()),
        0,
        CACHE_WORKER,
        instanceId,
        job.source(),
        boundedAttributes(ref.attributes()),
        clock.instant(),
        new CaptionEvent.CacheInfo(true, entry.eventId(), entry.createdAt(), Math.max(0, entry.engineMs().total())));
    return fitted(job, ref.id(), new Outcome(topics.output(), job.source(), job.key(), job.headers(),
        codec.encode(topics.output(), event), null));
  }

  Outcome error(Job job, String imageId, ErrorCode code, String message) {
    return error(job, imageId, code, message, 1);
  }

  /** An error outcome after {@code attempts} tries (more than 1 when a transient fetch failure was retried). */
  Outcome error(Job job, String imageId, ErrorCode code, String message, int attempts) {
    byte[] value = job.value() == null ? new byte[0] : job.value();
    String text = utf8(value);
    String payload;
    String encoding;
    int kept;
    if (text != null) {
      payload = BoundedText.headWithinJsonBytes(text, limits.payloadEchoBytes());
      encoding = "utf-8";
      kept = payload.length() == text.length() ? value.length
          : payload.getBytes(StandardCharsets.UTF_8).length;
    } else {
      kept = Math.min(value.length, limits.payloadEchoBytes() / 4 * 3);
      payload = Base64.getEncoder().encodeToString(Arrays.copyOf(value, kept));
      encoding = "base64";
    }
    String fullMessage = BoundedText.truncate(message, OutcomeLimits.MAX_MESSAGE_CHARS);
    if (kept < value.length) {
      fullMessage += " (payload cut to its first " + kept + " of " + value.length + " bytes)";
    }
    CaptionError error = new CaptionError(job.source().eventId(), BoundedText.truncate(imageId,
        OutcomeLimits.MAX_ID_CHARS), code, fullMessage, attempts, job.source(), job.value() == null ? null : payload,
        job.value() == null ? null : encoding, clock.instant());
    return fitted(job, imageId, new Outcome(topics.errors(), job.source(), job.key(), job.headers(),
        codec.encode(topics.errors(), error), code));
  }

  /**
   * The minimal error event that replaces an outcome the producer or the broker refused for good (too large for
   * the topic's {@code max.message.bytes}, an invalid record): no payload echo, a short message saying why.
   */
  Outcome refused(Job job, String imageId, Throwable why) {
    boolean size = RefusedOutcome.isSizeRefusal(why);
    return minimal(job, imageId, size ? ErrorCode.OUTCOME_TOO_LARGE : ErrorCode.INVALID_EVENT,
        "the broker refused this record's outcome (" + why.getClass().getSimpleName() + ": "
            + BoundedText.truncate(String.valueOf(why.getMessage()), 300) + "); this minimal error event replaces it");
  }

  /** The outcome itself when it fits the producer's limit, else a minimal error event that does. */
  private Outcome fitted(Job job, String imageId, Outcome outcome) {
    int budget = limits.valueBudget(outcome.key(), outcome.headers());
    if (outcome.value().length <= budget) {
      return outcome;
    }
    return minimal(job, imageId, ErrorCode.OUTCOME_TOO_LARGE, "the " + (outcome.isError() ? outcome.code()
        + " error event" : "caption event") + " of this record would be " + outcome.value().length
        + " bytes, over the " + Math.max(budget, 0) + " the producer's max.request.size=" + limits.maxRequestBytes()
        + " leaves for it; this minimal error event replaces it");
  }

  private Outcome minimal(Job job, String imageId, ErrorCode code, String message) {
    byte[] key = job.key();
    Headers headers = job.headers();
    String dropped = "";
    if (OutcomeLimits.framingBytes(key, headers) > limits.maxRequestBytes() / 2) {
      headers = new RecordHeaders();
      dropped = " (input headers dropped";
      if (OutcomeLimits.framingBytes(key, headers) > limits.maxRequestBytes() / 2) {
        key = null;
        dropped += ", input key dropped";
      }
      dropped += ": too large to repeat)";
    }
    CaptionError error = new CaptionError(job.source().eventId(), BoundedText.truncate(imageId, 256), code,
        message + dropped, 1, job.source(), null, null, clock.instant());
    return new Outcome(topics.errors(), job.source(), key, headers, codec.encode(topics.errors(), error), code);
  }

  private static Map<String, String> boundedAttributes(Map<String, String> attributes) {
    if (attributes == null) {
      return null;
    }
    Map<String, String> kept = new LinkedHashMap<>();
    long chars = 0;
    int dropped = 0;
    for (Map.Entry<String, String> e : attributes.entrySet()) {
      String k = BoundedText.truncate(e.getKey(), OutcomeLimits.MAX_ATTRIBUTE_KEY_CHARS);
      String v = BoundedText.truncate(e.getValue(), OutcomeLimits.MAX_ATTRIBUTE_VALUE_CHARS);
      long size = k.length() + (v == null ? 0 : v.length());
      if (chars + size > OutcomeLimits.MAX_ATTRIBUTES_CHARS || kept.containsKey(k)) {
        dropped++;
      } else {
        kept.put(k, v);
        chars += size;
      }
    }
    if (dropped > 0) {
      kept.put(TRUNCATED_ATTRIBUTES_KEY, dropped + " of " + attributes.size() + " attributes dropped (over "
          + OutcomeLimits.MAX_ATTRIBUTES_CHARS + " chars in all)");
    }
    return kept;
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
