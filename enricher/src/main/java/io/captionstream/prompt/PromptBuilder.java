package io.captionstream.prompt;

import io.captionstream.CaptionException;
import io.captionstream.CaptionException.Reason;
import io.captionstream.model.ModelFolder;
import java.util.List;
import java.util.Objects;

/**
 * Builds the prompt of one captioning request: renders the model's chat template around the question, replaces its
 * {@code <image>} with the {@link ImageTokenLayout} expansion and tokenizes the whole string with special tokens
 * recognised (the {@code \n}s between the last tile row and the global block merge into one BPE token, so ids are
 * never assembled by hand). Checks that the ids hold exactly the layout's number of {@code <image>} ids.
 * Thread-safe.
 */
public final class PromptBuilder {

  /** The question asked when a request has none (the prompt package owns it: no dependency on the engine). */
  public static final String DEFAULT_QUESTION = "Can you describe this image?";

  /** Strings a question must not contain: they would add or break image placeholders. */
  private static final List<String> RESERVED = List.of(ImageTokenLayout.IMAGE, ImageTokenLayout.FAKE,
      ImageTokenLayout.GLOBAL);

  private final SmolTokenizer tokenizer;
  private final ChatTemplate template;
  private final int imageSeqLen;
  private final long imageTokenId;
  private final int maxPromptTokens;

  /**
   * @param imageTokenId    {@code config.json → image_token_id}; checked against the tokenizer's {@code <image>}
   * @param maxPromptTokens longest acceptable prompt (the model's context), {@code 0} = unlimited
   */
  public PromptBuilder(SmolTokenizer tokenizer, ChatTemplate template, int imageSeqLen, long imageTokenId,
      int maxPromptTokens) {
    this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
    this.template = Objects.requireNonNull(template, "template");
    this.imageSeqLen = imageSeqLen;
    this.imageTokenId = imageTokenId;
    this.maxPromptTokens = maxPromptTokens;
    long tokenizerImageId = tokenizer.idOf(ImageTokenLayout.IMAGE);
    if (tokenizerImageId != imageTokenId) {
      throw new IllegalArgumentException("config image_token_id " + imageTokenId + " but the tokenizer maps "
          + ImageTokenLayout.IMAGE + " to " + tokenizerImageId);
    }
    tokenizer.idOf(ImageTokenLayout.FAKE);
    tokenizer.idOf(ImageTokenLayout.GLOBAL);
  }

  /** For a loaded model folder: its template, {@code image_seq_len}, {@code image_token_id} and context length. */
  public static PromptBuilder of(ModelFolder folder, SmolTokenizer tokenizer) {
    return new PromptBuilder(tokenizer, ChatTemplate.of(folder), folder.config().imageSeqLen(),
        folder.config().imageTokenId(), folder.config().text().maxPositionEmbeddings());
  }

  public int imageSeqLen() {
    return imageSeqLen;
  }

  /**
   * The prompt for an image split into {@code rows × cols} tiles ({@code 0 × 0} = unsplit).
   *
   * @param question {@code null} or blank = {@link #DEFAULT_QUESTION}
   * @throws CaptionException INVALID_REQUEST for a question holding image markers or a prompt longer than the
   *                          model's context; INFERENCE_FAILED if the ids do not hold exactly the expected number of
   *                          image tokens (a template or tokenizer that does not match the contract)
   */
  public Prompt build(String question, int rows, int cols) {
    String q = question == null || question.isBlank() ? DEFAULT_QUESTION : question;
    for (String reserved : RESERVED) {
      if (q.contains(reserved)) {
        throw new CaptionException(Reason.INVALID_REQUEST, "the prompt must not contain " + reserved);
      }
    }
    ImageTokenLayout layout = new ImageTokenLayout(rows, cols, imageSeqLen);
    if (layout.split()) {
      requireTileMarker(rows, cols);
    }
    String chat = renderChat(q);
    int at = chat.indexOf(ImageTokenLayout.IMAGE);
    if (at < 0 || chat.indexOf(ImageTokenLayout.IMAGE, at + 1) >= 0) {
      throw new CaptionException(Reason.INFERENCE_FAILED,
          "the chat template must render exactly one " + ImageTokenLayout.IMAGE + " for one image, rendered: " + chat);
    }
    String text = chat.substring(0, at) + layout.expansion() + chat.substring(at + ImageTokenLayout.IMAGE.length());
    long[] ids = tokenizer.encode(text);
    int count = 0;
    for (long id : ids) {
      if (id == imageTokenId) {
        count++;
      }
    }
    if (count != layout.imageTokenCount()) {
      throw new CaptionException(Reason.INFERENCE_FAILED, "prompt holds " + count + " " + ImageTokenLayout.IMAGE
          + " ids (id " + imageTokenId + "), expected " + imageSeqLen + " × " + layout.tileCount() + " = "
          + layout.imageTokenCount() + " for " + rows + "×" + cols + " tiles");
    }
    if (maxPromptTokens > 0 && ids.length > maxPromptTokens) {
      throw new CaptionException(Reason.INVALID_REQUEST,
          "prompt of " + ids.length + " tokens exceeds the model's context of " + maxPromptTokens);
    }
    return new Prompt(text, ids, count, layout);
  }

  /** The vocabulary has {@code <row_r_col_c>} up to 6×6; a bigger grid would silently tokenize into pieces. */
  private void requireTileMarker(int rows, int cols) {
    try {
      tokenizer.idOf(ImageTokenLayout.tileMarker(rows, cols));
    } catch (IllegalArgumentException e) {
      throw new CaptionException(Reason.INVALID_REQUEST, "image split into " + rows + "×" + cols
          + " tiles, but the vocabulary has no " + ImageTokenLayout.tileMarker(rows, cols) + " token", e);
    }
  }

  private String renderChat(String question) {
    try {
      return template.renderImageQuestion(question);
    } catch (IllegalArgumentException e) {
      throw new CaptionException(Reason.INVALID_REQUEST, e.getMessage(), e);
    }
  }
}
