package io.captionstream.generate;

import io.captionstream.prompt.PromptBuilder;
import java.time.Instant;

/**
 * Per-request knobs of one caption.
 *
 * @param prompt       the question; {@code null} = the model's default captioning question
 * @param maxNewTokens cap on generated tokens (&ge; 1)
 * @param longestEdge  override of the processor's {@code size.longest_edge}; {@code null} = the model's value
 * @param split        override of {@code do_image_splitting}; {@code null} = the model's value
 * @param deadline     abandon the work (with {@code DEADLINE_EXCEEDED}) after this instant; {@code null} = none
 */
public record CaptionOptions(String prompt, int maxNewTokens, Integer longestEdge, Boolean split, Instant deadline) {

  /** The question asked when an event sets no prompt (the prompt stage owns it). */
  public static final String DEFAULT_PROMPT = PromptBuilder.DEFAULT_QUESTION;
  public static final int DEFAULT_MAX_NEW_TOKENS = 64;

  public CaptionOptions {
    if (maxNewTokens < 1) {
      throw new IllegalArgumentException("maxNewTokens must be >= 1, was " + maxNewTokens);
    }
    if (longestEdge != null && longestEdge < 1) {
      throw new IllegalArgumentException("longestEdge must be >= 1, was " + longestEdge);
    }
  }

  public static CaptionOptions defaults() {
    return new CaptionOptions(null, DEFAULT_MAX_NEW_TOKENS, null, null, null);
  }

  public String promptOrDefault() {
    return prompt == null || prompt.isBlank() ? DEFAULT_PROMPT : prompt;
  }

  public CaptionOptions withPrompt(String p) {
    return new CaptionOptions(p, maxNewTokens, longestEdge, split, deadline);
  }

  public CaptionOptions withMaxNewTokens(int n) {
    return new CaptionOptions(prompt, n, longestEdge, split, deadline);
  }

  public CaptionOptions withLongestEdge(Integer px) {
    return new CaptionOptions(prompt, maxNewTokens, px, split, deadline);
  }

  public CaptionOptions withSplit(Boolean s) {
    return new CaptionOptions(prompt, maxNewTokens, longestEdge, s, deadline);
  }

  public CaptionOptions withDeadline(Instant d) {
    return new CaptionOptions(prompt, maxNewTokens, longestEdge, split, d);
  }
}
