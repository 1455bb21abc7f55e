package io.captionstream.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.captionstream.prompt.SmolTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticTokenizerTest {

  @TempDir Path dir;

  @Test
  void specialTokenIdsMatchTheRealVocabularyAtFullSize() {
    int v = SyntheticTokenizer.REAL_VOCAB;
    assertThat(SyntheticTokenizer.specialTokenId("<|endoftext|>", v)).isZero();
    assertThat(SyntheticTokenizer.specialTokenId("<|im_start|>", v)).isEqualTo(1);
    assertThat(SyntheticTokenizer.specialTokenId("<|im_end|>", v)).isEqualTo(2);
    assertThat(SyntheticTokenizer.specialTokenId("<global-img>", v)).isEqualTo(49152);
    assertThat(SyntheticTokenizer.specialTokenId("<row_1_col_1>", v)).isEqualTo(49153);
    assertThat(SyntheticTokenizer.specialTokenId("<row_2_col_3>", v)).isEqualTo(49152 + 6 + 3);
    assertThat(SyntheticTokenizer.specialTokenId("<row_6_col_6>", v)).isEqualTo(49188);
    assertThat(SyntheticTokenizer.specialTokenId("<fake_token_around_image>", v)).isEqualTo(49189);
    assertThat(SyntheticTokenizer.specialTokenId("<image>", v)).isEqualTo(49190);
    assertThat(SyntheticTokenizer.specialTokenId("<end_of_utterance>", v)).isEqualTo(49279);
  }

  @Test
  void specialTokenIdsKeepTheirDistanceFromTheEndInSmallVocabularies() {
    assertThat(SyntheticTokenizer.specialTokenId("<|im_start|>", 1000)).isEqualTo(1);
    assertThat(SyntheticTokenizer.specialTokenId("<end_of_utterance>", 1000)).isEqualTo(999);
    assertThat(SyntheticTokenizer.specialTokenId("<image>", 1000)).isEqualTo(1000 - (49280 - 49190));
    assertThat(SyntheticTokenizer.specialTokenId("<global-img>", 1000)).isEqualTo(1000 - 128);
    assertThatThrownBy(() -> SyntheticTokenizer.specialTokenId("<image>", 300))
        .hasMessageContaining("vocabSize must be >= 402");
    assertThatThrownBy(() -> SyntheticTokenizer.specialTokenId("<nope>", 1000)).hasMessageContaining("<nope>");
  }

  @Test
  void writtenTokenizerHasEveryIdBelowTheVocabSizeExactlyOnce() throws Exception {
    SyntheticTokenizer.write(dir, 1000, 7);
    JsonNode root = new ObjectMapper().readTree(dir.resolve("tokenizer.json").toFile());
    boolean[] seen = new boolean[1000];
    root.path("model").path("vocab").properties().forEach(e -> markOnce(seen, e.getValue().asInt()));
    for (JsonNode t : root.path("added_tokens")) {
      assertThat(t.path("special").asBoolean()).isTrue();
      int id = t.path("id").asInt();
      if (id >= 17) {
        markOnce(seen, id);
      }
    }
    for (int i = 0; i < seen.length; i++) {
      assertThat(seen[i]).as("id %d present", i).isTrue();
    }
    assertThat(root.path("model").path("merges").size()).isEqualTo(1000 - 17 - 256 - 128);
  }

  private static void markOnce(boolean[] seen, int id) {
    assertThat(id).isBetween(0, seen.length - 1);
    assertThat(seen[id]).as("id %d duplicated", id).isFalse();
    seen[id] = true;
  }

  @Test
  void specialTokensEncodeToSingleIdsAtTheirPositions() {
    int v = 4096;
    SyntheticTokenizer.write(dir, v, 1);
    try (SmolTokenizer tok = SmolTokenizer.load(dir)) {
      for (Map.Entry<String, Integer> e : SyntheticTokenizer.specialTokens(v).entrySet()) {
        assertThat(tok.idOf(e.getKey())).as(e.getKey()).isEqualTo(e.getValue().longValue());
      }
      assertThat(tok.encode("<fake_token_around_image><row_3_col_4><image><image>"))
          .containsExactly(v - 91, v - 128 + 12 + 4, v - 90, v - 90);
    }
  }

  @Test
  void newlinePairsAndCommonWordsBecomeSingleTokens() {
    SyntheticTokenizer.write(dir, 2048, 3);
    try (SmolTokenizer tok = SmolTokenizer.load(dir)) {
      assertThat(tok.encode("\n")).hasSize(1);
      assertThat(tok.encode("\n\n")).hasSize(1);
      assertThat(tok.encode(" image")).hasSize(1);
      assertThat(tok.encode(" the")).hasSize(1);
      long image = tok.idOf("<image>");
      long fake = tok.idOf("<fake_token_around_image>");
      // the "\n" ending the last tile row and the "\n" opening the global block are one token
      long[] ids = tok.encode("<image>\n\n<fake_token_around_image>");
      assertThat(ids).hasSize(3);
      assertThat(ids[0]).isEqualTo(image);
      assertThat(ids[1]).isEqualTo(tok.encode("\n\n")[0]).isNotEqualTo(tok.encode("\n")[0]);
      assertThat(ids[2]).isEqualTo(fake);
    }
  }

  @Test
  void roundTripsTextAndDecodesEveryId() {
    int v = 1024;
    SyntheticTokenizer.write(dir, v, 11);
    try (SmolTokenizer tok = SmolTokenizer.load(dir)) {
      String text = "Can you describe this image? Ünïcödé — 漢字 🙂 and 12345\n\ttabs  spaces";
      long[] ids = tok.encode(text);
      assertThat(tok.decode(ids, false)).isEqualTo(text);
      long[] all = new long[v];
      for (int i = 0; i < v; i++) {
        all[i] = i;
      }
      assertThat(tok.decode(all, false)).contains("<end_of_utterance>", "<row_6_col_6>");
      long[] dog = tok.encode(" a dog");
      long[] framed = new long[dog.length + 2];
      framed[0] = tok.idOf("<|im_start|>");
      System.arraycopy(dog, 0, framed, 1, dog.length);
      framed[framed.length - 1] = tok.idOf("<end_of_utterance>");
      assertThat(tok.decode(framed, true)).isEqualTo(" a dog");
      assertThat(tok.caption(framed)).isEqualTo("a dog");
    }
  }

  @Test
  void sameSeedWritesIdenticalFilesAndAnotherSeedOtherMerges(@TempDir Path other, @TempDir Path third)
      throws Exception {
    SyntheticTokenizer.write(dir, 3000, 42);
    SyntheticTokenizer.write(other, 3000, 42);
    SyntheticTokenizer.write(third, 3000, 43);
    byte[] a = Files.readAllBytes(dir.resolve("tokenizer.json"));
    assertThat(Files.readAllBytes(other.resolve("tokenizer.json"))).isEqualTo(a);
    assertThat(Files.readAllBytes(third.resolve("tokenizer.json"))).isNotEqualTo(a);
  }

  @Test
  void fullSizeVocabularyLoads() {
    SyntheticTokenizer.write(dir, SyntheticTokenizer.REAL_VOCAB, 0);
    try (SmolTokenizer tok = SmolTokenizer.load(dir)) {
      assertThat(tok.idOf("<end_of_utterance>")).isEqualTo(49279);
      assertThat(tok.idOf("<image>")).isEqualTo(49190);
      assertThat(tok.decode(new long[] {49151}, false)).isNotEmpty();
    }
  }

  @Test
  void tokenizerConfigCarriesTheRealChatTemplateAndSpecialTokens() throws Exception {
    SyntheticTokenizer.write(dir, 1000, 0);
    JsonNode cfg = new ObjectMapper().readTree(dir.resolve("tokenizer_config.json").toFile());
    assertThat(cfg.path("chat_template").asText()).isEqualTo(SyntheticTokenizer.CHAT_TEMPLATE)
        .startsWith("<|im_start|>{% for message in messages %}");
    assertThat(cfg.path("bos_token").asText()).isEqualTo("<|im_start|>");
    assertThat(cfg.path("eos_token").asText()).isEqualTo("<end_of_utterance>");
    assertThat(cfg.path("pad_token").asText()).isEqualTo("<|im_end|>");
    assertThat(cfg.path("tokenizer_class").asText()).isEqualTo("GPT2Tokenizer");
    assertThat(cfg.path("model_max_length").asInt()).isEqualTo(8192);
    assertThat(cfg.path("added_tokens_decoder").path("999").path("content").asText())
        .isEqualTo("<end_of_utterance>");
  }

  @Test
  void tokenizerIdsAgreeWithConfigAndLogitWidth(@TempDir Path dir) throws IOException {
    SynthSpec spec = SynthSpec.tiny();
    SynthModelWriter.write(spec, dir);
    JsonNode config = new ObjectMapper().readTree(dir.resolve("config.json").toFile());
    JsonNode gen = new ObjectMapper().readTree(dir.resolve("generation_config.json").toFile());
    try (SmolTokenizer tokenizer = SmolTokenizer.load(dir)) {
      assertThat(tokenizer.idOf("<image>")).isEqualTo(config.path("image_token_id").asLong());
      assertThat(tokenizer.idOf("<end_of_utterance>")).isEqualTo(gen.path("eos_token_id").asLong());
      long[] ids = tokenizer.encode("<|im_start|>User:<image>Hi<end_of_utterance>");
      assertThat(ids).contains(spec.imageTokenId(), spec.eosTokenId(), 1L);
      assertThat(Arrays.stream(ids).allMatch(id -> id >= 0 && id < spec.vocab())).isTrue();
    }
  }
}
