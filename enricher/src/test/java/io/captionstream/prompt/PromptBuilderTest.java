package io.captionstream.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.captionstream.CaptionException.Reason;
import io.captionstream.CaptionException;
import io.captionstream.model.ModelFolder;
import io.captionstream.model.OnnxVariant;
import io.captionstream.model.TestModelFolders;
import io.captionstream.synth.SyntheticTokenizer;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptBuilderTest {

  private static final int VOCAB = 2048;
  @TempDir static Path tmp;
  private static ModelFolder folder;
  private static SmolTokenizer tokenizer;
  private static PromptBuilder builder;

  @BeforeAll
  static void load() {
    folder = ModelFolder.load(TestModelFolders.writeFolder(tmp.resolve("m"), VOCAB, OnnxVariant.FP32));
    tokenizer = SmolTokenizer.load(folder.tokenizerFile());
    builder = PromptBuilder.of(folder, tokenizer);
  }

  @AfterAll
  static void close() {
    tokenizer.close();
  }

  private static int id(String token) {
    return SyntheticTokenizer.specialTokenId(token, VOCAB);
  }

  private static long count(long[] ids, long id) {
    return Arrays.stream(ids).filter(x -> x == id).count();
  }

  @Test
  void squareImagePromptHas1088ImageIdsAndStartsWithImStart() {
    Prompt p = builder.build(null, 4, 4);
    long[] ids = p.ids();
    assertThat(p.imageTokenCount()).isEqualTo(1088);
    assertThat(count(ids, id("<image>"))).isEqualTo(1088);
    assertThat(count(ids, id("<fake_token_around_image>"))).isEqualTo(18);
    assertThat(count(ids, id("<global-img>"))).isOne();
    assertThat(ids[0]).isEqualTo(id("<|im_start|>"));
    assertThat(count(ids, id("<|im_start|>"))).isOne();
    assertThat(ids[1 + tokenizer.encode("User:").length]).isEqualTo(id("<fake_token_around_image>"));
    assertThat(ids[ids.length - 1 - tokenizer.encode("\nAssistant:").length]).isEqualTo(id("<end_of_utterance>"));
    assertThat(p.text()).startsWith("<|im_start|>User:<fake_token_around_image><row_1_col_1><image>")
        .endsWith("<fake_token_around_image>Can you describe this image?<end_of_utterance>\nAssistant:");
    assertThat(tokenizer.decode(ids, false)).isEqualTo(p.text());
    assertThat(p.layout()).isEqualTo(new ImageTokenLayout(4, 4, 64));
  }

  @Test
  void lastRowNewlineAndGlobalBlockNewlineAreOneToken() {
    long[] ids = builder.build("Q", 3, 4).ids();
    long newline = tokenizer.encode("\n")[0];
    long doubleNewline = tokenizer.encode("\n\n")[0];
    assertThat(count(ids, newline)).isEqualTo(2 + 1); // rows 1 and 2 end with "\n", plus "\nAssistant:"
    assertThat(count(ids, doubleNewline)).isOne();
    int global = indexOf(ids, id("<global-img>"));
    assertThat(ids[global - 1]).isEqualTo(id("<fake_token_around_image>"));
    assertThat(ids[global - 2]).isEqualTo(doubleNewline);
    assertThat(ids[global - 3]).isEqualTo(id("<image>"));
  }

  private static int indexOf(long[] ids, long id) {
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] == id) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void unsplitImageHas64ImageIdsAndNoTileMarkers() {
    Prompt p = builder.build("What is this?", 0, 0);
    assertThat(p.imageTokenCount()).isEqualTo(64);
    assertThat(p.text()).isEqualTo("<|im_start|>User:<fake_token_around_image><global-img>" + "<image>".repeat(64)
        + "<fake_token_around_image>What is this?<end_of_utterance>\nAssistant:");
    assertThat(count(p.ids(), id("<row_1_col_1>"))).isZero();
  }

  @Test
  void blankQuestionUsesTheDefaultPrompt() {
    assertThat(builder.build("  ", 1, 2).text()).contains("Can you describe this image?<end_of_utterance>");
  }

  @Test
  void questionWithImageMarkersIsAnInvalidRequest() {
    assertThatThrownBy(() -> builder.build("look <image> here", 0, 0))
        .isInstanceOf(CaptionException.class).hasMessageContaining("<image>")
        .satisfies(e -> assertThat(((CaptionException) e).reason()).isEqualTo(Reason.INVALID_REQUEST));
  }

  @Test
  void gridBeyondTheVocabularysTileMarkersIsRejected() {
    assertThat(builder.build(null, 6, 6).imageTokenCount()).isEqualTo(64 * 37);
    assertThatThrownBy(() -> builder.build(null, 7, 1))
        .isInstanceOf(CaptionException.class).hasMessageContaining("<row_7_col_1>");
  }

  @Test
  void promptLongerThanTheContextIsAnInvalidRequest() {
    PromptBuilder small = new PromptBuilder(tokenizer, ChatTemplate.of(folder), 64, id("<image>"), 100);
    assertThat(small.build(null, 0, 0).length()).isLessThanOrEqualTo(100);
    assertThatThrownBy(() -> small.build(null, 1, 1))
        .isInstanceOf(CaptionException.class).hasMessageContaining("exceeds the model's context of 100");
  }

  @Test
  void imageTokenCountMismatchFailsLoudly() {
    // a template that renders the image twice: each <image> expands, the count check must catch it
    ChatTemplate twice = new ChatTemplate("<|im_start|>User:<image><image>{{ messages[0]['content'][1]['text'] }}");
    PromptBuilder b = new PromptBuilder(tokenizer, twice, 64, id("<image>"), 0);
    assertThatThrownBy(() -> b.build(null, 0, 0))
        .isInstanceOf(CaptionException.class).hasMessageContaining("exactly one <image>");
    ChatTemplate none = new ChatTemplate("<|im_start|>User:{{ messages[0]['content'][1]['text'] }}");
    assertThatThrownBy(() -> new PromptBuilder(tokenizer, none, 64, id("<image>"), 0).build(null, 0, 0))
        .isInstanceOf(CaptionException.class)
        .satisfies(e -> assertThat(((CaptionException) e).reason()).isEqualTo(Reason.INFERENCE_FAILED));
  }

  @Test
  void configImageTokenIdMustMatchTheTokenizer() {
    assertThatThrownBy(() -> new PromptBuilder(tokenizer, ChatTemplate.of(folder), 64, 49190, 0))
        .hasMessageContaining("image_token_id 49190").hasMessageContaining(String.valueOf(id("<image>")));
  }
}
