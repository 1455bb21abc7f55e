package io.captionstream.cache;

import static io.captionstream.model.FieldDigest.field;
import static io.captionstream.model.FieldDigest.sha256;

import io.captionstream.generate.CaptionOptions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The key of a cache entry: SHA-256 over a version tag, the SHA-256 of the fetched image bytes, the model (id,
 * variant per graph, fingerprint of its files), the prompt after defaulting, the longest-edge and splitting overrides
 * and the effective {@code maxNewTokens}. Each field is length-prefixed, so no two different inputs share a key.
 * The deadline is not part of it: it decides whether work runs, not what it computes.
 *
 * @param hex 64 lowercase hex digits; the topic's record key (UTF-8), readable in any Kafka tool
 */
public record CacheKey(String hex) {

  /** Bumped when the entry format or what the key covers changes, so old entries are never read. */
  static final String VERSION = "captionstream-caption-cache-v1";

  public CacheKey {
    Objects.requireNonNull(hex, "hex");
    if (!hex.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("not a cache key: " + hex);
    }
  }

  /** The key of {@code image} captioned by {@code model} with {@code options} (maxNewTokens already effective). */
  public static CacheKey of(byte[] image, ModelIdentity model, CaptionOptions options) {
    MessageDigest sha = sha256();
    field(sha, VERSION);
    field(sha, HexFormat.of().formatHex(sha256().digest(image)));
    field(sha, model.modelId());
    field(sha, model.variant());
    field(sha, model.fingerprint());
    field(sha, options.promptOrDefault());
    field(sha, options.longestEdge() == null ? "default" : options.longestEdge().toString());
    field(sha, options.split() == null ? "default" : options.split().toString());
    field(sha, Integer.toString(options.maxNewTokens()));
    return new CacheKey(HexFormat.of().formatHex(sha.digest()));
  }

  /** The record key in the cache topic. */
  public byte[] bytes() {
    return hex.getBytes(StandardCharsets.US_ASCII);
  }
}
