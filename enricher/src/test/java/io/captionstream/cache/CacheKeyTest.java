package io.captionstream.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.captionstream.generate.CaptionOptions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class CacheKeyTest {

  private static final byte[] IMAGE = {1, 2, 3, 4};
  private static final ModelIdentity MODEL = new ModelIdentity("org/model", "fp32", "abc");
  private static final CaptionOptions OPTIONS = CaptionOptions.defaults();

  private static CacheKey key(byte[] image, ModelIdentity model, CaptionOptions options) {
    return CacheKey.of(image, model, options);
  }

  @Test
  void theSameInputsGiveTheSameKey() {
    assertThat(key(IMAGE.clone(), new ModelIdentity("org/model", "fp32", "abc"), CaptionOptions.defaults()))
        .isEqualTo(key(IMAGE, MODEL, OPTIONS));
  }

  @Test
  void everyInputOfTheKeyChangesIt() {
    CacheKey base = key(IMAGE, MODEL, OPTIONS);
    Map<String, Supplier<CacheKey>> variations = Map.of(
        "image bytes", () -> key(new byte[] {1, 2, 3, 5}, MODEL, OPTIONS),
        "model id", () -> key(IMAGE, new ModelIdentity("org/other", "fp32", "abc"), OPTIONS),
        "variant", () -> key(IMAGE, new ModelIdentity("org/model", "q4,vision=fp32", "abc"), OPTIONS),
        "model fingerprint", () -> key(IMAGE, new ModelIdentity("org/model", "fp32", "abd"), OPTIONS),
        "prompt", () -> key(IMAGE, MODEL, OPTIONS.withPrompt("What is it?")),
        "longest edge", () -> key(IMAGE, MODEL, OPTIONS.withLongestEdge(512)),
        "splitting", () -> key(IMAGE, MODEL, OPTIONS.withSplit(false)),
        "max new tokens", () -> key(IMAGE, MODEL, OPTIONS.withMaxNewTokens(63)));
    variations.forEach((what, k) -> assertThat(k.get()).as(what).isNotEqualTo(base));
    assertThat(variations.values().stream().map(Supplier::get).distinct()).hasSize(variations.size());
  }

  @Test
  void thePromptCountsAfterDefaultingAndTheDeadlineNotAtAll() {
    CacheKey base = key(IMAGE, MODEL, OPTIONS);
    assertThat(key(IMAGE, MODEL, OPTIONS.withPrompt(CaptionOptions.DEFAULT_PROMPT))).isEqualTo(base);
    assertThat(key(IMAGE, MODEL, OPTIONS.withPrompt("  "))).isEqualTo(base);
    assertThat(key(IMAGE, MODEL, OPTIONS.withDeadline(Instant.parse("2030-01-01T00:00:00Z")))).isEqualTo(base);
  }

  @Test
  void fieldsAreSeparatedSoShiftingTextBetweenThemChangesTheKey() {
    CacheKey a = key(IMAGE, new ModelIdentity("org/model", "fp32x", "y"), OPTIONS);
    CacheKey b = key(IMAGE, new ModelIdentity("org/model", "fp32", "xy"), OPTIONS);
    assertThat(a).isNotEqualTo(b);
  }

  @Test
  void theKeyIsReadableHex() {
    assertThat(key(IMAGE, MODEL, OPTIONS).hex()).matches("[0-9a-f]{64}");
    assertThat(List.of(key(IMAGE, MODEL, OPTIONS).bytes().length)).containsExactly(64);
  }
}
