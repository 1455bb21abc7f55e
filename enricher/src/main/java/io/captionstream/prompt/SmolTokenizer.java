package io.captionstream.prompt;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The model folder's {@code tokenizer.json} (Hugging Face tokenizers, through DJL's JNI binding): encodes prompts with
 * special tokens recognised but none added, no truncation, no padding; decodes generated ids. Thread-safe.
 */
public final class SmolTokenizer implements AutoCloseable {

  private final HuggingFaceTokenizer tokenizer;
  private final Path file;

  private SmolTokenizer(HuggingFaceTokenizer tokenizer, Path file) {
    this.tokenizer = tokenizer;
    this.file = file;
  }

  /**
   * Loads {@code tokenizer.json} from a model folder (or the file itself).
   *
   * @throws IllegalArgumentException if the file is missing or not a valid tokenizer
   */
  public static SmolTokenizer load(Path modelDirOrFile) {
    Path file = Files.isDirectory(modelDirOrFile) ? modelDirOrFile.resolve("tokenizer.json") : modelDirOrFile;
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("tokenizer file not found: " + file);
    }
    DjlOffline.ensure();
    try {
      HuggingFaceTokenizer t = HuggingFaceTokenizer.builder()
          .optTokenizerPath(file)
          .optAddSpecialTokens(false)
          .optTruncation(false)
          .optPadding(false)
          .build();
      return new SmolTokenizer(t, file);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("cannot load tokenizer " + file + ": " + e.getMessage(), e);
    }
  }

  /** Token ids of {@code text}; special-token strings in it become their single ids; nothing is added. */
  public long[] encode(String text) {
    return tokenizer.encode(text, false, false).getIds();
  }

  /** The tokens (byte-level symbols) of {@code text}, for diagnostics. */
  public String[] tokens(String text) {
    return tokenizer.encode(text, false, false).getTokens();
  }

  /** Text of {@code ids}; {@code skipSpecial} drops special tokens. */
  public String decode(long[] ids, boolean skipSpecial) {
    return tokenizer.decode(ids, skipSpecial);
  }

  /**
   * A generated caption: decoded with special tokens skipped and the leading whitespace trimmed (the model starts
   * its answer after {@code Assistant:} with a space token). Trailing text is kept as generated.
   */
  public String caption(long[] generatedIds) {
    return decode(generatedIds, true).stripLeading();
  }

  /**
   * The id of a token that the tokenizer keeps whole (a special token such as {@code <image>}).
   *
   * @throws IllegalArgumentException if {@code token} is not exactly one token of this vocabulary
   */
  public long idOf(String token) {
    Encoding e = tokenizer.encode(token, false, false);
    long[] ids = e.getIds();
    if (ids.length != 1 || !token.equals(e.getTokens()[0])) {
      throw new IllegalArgumentException("'" + token + "' is not a single token of " + file + " (tokens "
          + Arrays.toString(e.getTokens()) + ")");
    }
    return ids[0];
  }

  public Path file() {
    return file;
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
