package io.captionstream.prompt;

import java.util.Objects;

/**
 * A tokenized prompt, ready for {@code embed_tokens}.
 *
 * @param text            the expanded prompt text that was tokenized
 * @param ids             its token ids (the template's {@code <|im_start|>} first, nothing added)
 * @param imageTokenCount how many of {@code ids} are {@code <image>}: the rows the vision features must fill
 * @param layout          the image layout it was built for
 */
public record Prompt(String text, long[] ids, int imageTokenCount, ImageTokenLayout layout) {

  public Prompt {
    Objects.requireNonNull(text, "text");
    ids = ids.clone();
    Objects.requireNonNull(layout, "layout");
  }

  @Override
  public long[] ids() {
    return ids.clone();
  }

  /** Number of prompt tokens. */
  public int length() {
    return ids.length;
  }
}
