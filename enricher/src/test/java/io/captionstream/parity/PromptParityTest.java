package io.captionstream.parity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.captionstream.model.ModelFolder;
import io.captionstream.model.OnnxVariant;
import io.captionstream.model.TestModelFolders;
import io.captionstream.prompt.ChatTemplate;
import io.captionstream.prompt.ImageTokenLayout;
import io.captionstream.prompt.Prompt;
import io.captionstream.prompt.PromptBuilder;
import io.captionstream.prompt.SmolTokenizer;
import io.captionstream.synth.SynthModelWriter;
import io.captionstream.synth.SynthSpec;
import io.captionstream.synth.SyntheticTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Our prompt (chat template → {@code <image>} expansion → ids) against transformers.js' Idefics3Processor and
 * tokenizer on the same model folder, for every tile grid the processor can produce and the unsplit image.
 */
class PromptParityTest {

  private static final int[][] LAYOUTS = {
      {0, 0}, {1, 1}, {1, 2}, {2, 1}, {2, 2}, {3, 4}, {4, 3}, {4, 4}, {2, 4}, {4, 1}, {1, 4}, {6, 6}};

  @TempDir Path tmp;

  @ParameterizedTest(name = "vocab {0}, question {1}")
  @CsvSource(delimiter = '|', value = {
      "49280|Can you describe this image?",
      "49280|Was ist auf dem Bild? 🙂\\nAntworte kurz:  zwei Sätze.",
      "600|What colour is the 2nd car from the left?"})
  void expandedPromptTextAndIdsEqualTransformersJs(int vocab, String rawQuestion) throws Exception {
    NodeOracle oracle = NodeOracle.require();
    String question = rawQuestion.replace("\\n", "\n");
    ModelFolder folder = ModelFolder.load(TestModelFolders.writeFolder(tmp.resolve("model"), vocab, OnnxVariant.FP32));

    List<List<Integer>> layouts = new ArrayList<>();
    for (int[] l : LAYOUTS) {
      layouts.add(List.of(l[0], l[1]));
    }
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("model", folder.dir().toString());
    input.put("question", question);
    input.put("layouts", layouts);
    JsonNode out = oracle.run("prompt.mjs", input, 120);
    System.out.println("transformers.js oracle versions: " + out.path("versions"));
    assertThat(out.path("versions").path("transformers").asText()).isEqualTo("4.3.1");

    ChatTemplate template = ChatTemplate.of(folder);
    assertThat(template.renderImageQuestion(question)).isEqualTo(out.path("chat").asText());

    try (SmolTokenizer tokenizer = SmolTokenizer.load(folder.tokenizerFile())) {
      PromptBuilder builder = PromptBuilder.of(folder, tokenizer);
      JsonNode results = out.path("results");
      assertThat(results.size()).isEqualTo(LAYOUTS.length);
      for (int i = 0; i < LAYOUTS.length; i++) {
        int rows = LAYOUTS[i][0];
        int cols = LAYOUTS[i][1];
        JsonNode r = results.get(i);
        Prompt ours = builder.build(question, rows, cols);
        long[] theirs = ids(r.path("input_ids"));
        assertThat(ours.text()).as("text %dx%d", rows, cols).isEqualTo(r.path("text").asText());
        assertThat(ours.ids()).as("ids %dx%d", rows, cols).isEqualTo(theirs);
        assertThat(LongStream.of(theirs).filter(id -> id == folder.config().imageTokenId()).count())
            .isEqualTo(ours.imageTokenCount());
        System.out.printf("layout %dx%d: %d ids, %d <image> — equal%n", rows, cols, theirs.length,
            ours.imageTokenCount());
      }

      // Deliberately wrong variants must differ from the oracle.
      JsonNode r44 = results.get(7);
      long[] oracle44 = ids(r44.path("input_ids"));
      String right = builder.build(question, 4, 4).text();
      String noNewlineBeforeGlobal = right.replace("\n\n<fake_token_around_image><global-img>",
          "\n<fake_token_around_image><global-img>");
      assertThat(noNewlineBeforeGlobal).isNotEqualTo(right);
      assertThat(tokenizer.encode(noNewlineBeforeGlobal)).as("missing \\n before the global block")
          .isNotEqualTo(oracle44);
      String spaceAfterUser = right.replace("User:", "User: ");
      assertThat(tokenizer.encode(spaceAfterUser)).as("space after User:").isNotEqualTo(oracle44);
      assertThat(handAssembled(tokenizer, question, 4, 4)).as("ids assembled piecewise, \\n\\n unmerged")
          .isNotEqualTo(oracle44);
    }
  }

  @Test
  void synthKitFolderWithItsOwnTileGeometryMatchesTransformersJs() throws Exception {
    NodeOracle oracle = NodeOracle.require();
    SynthSpec spec = SynthSpec.tiny();
    Path dir = tmp.resolve("synth-tiny");
    SynthModelWriter.write(spec, dir);
    if (!Files.exists(dir.resolve("tokenizer.json"))) {
      SyntheticTokenizer.write(dir, spec.vocab(), spec.seed());
    }
    ModelFolder folder = ModelFolder.load(dir);
    assertThat(folder.config().imageSeqLen()).isEqualTo(spec.imageSeqLen());
    JsonNode out = oracle.run("prompt.mjs", Map.of("model", dir.toString(), "question", "Describe it.",
        "layouts", List.of(List.of(0, 0), List.of(4, 4), List.of(3, 2))), 120);
    try (SmolTokenizer tokenizer = SmolTokenizer.load(folder.tokenizerFile())) {
      PromptBuilder builder = PromptBuilder.of(folder, tokenizer);
      for (JsonNode r : out.path("results")) {
        Prompt ours = builder.build("Describe it.", r.path("rows").asInt(), r.path("cols").asInt());
        assertThat(ours.ids()).isEqualTo(ids(r.path("input_ids")));
        assertThat(ours.imageTokenCount()).isEqualTo(spec.imageSeqLen() * ours.layout().tileCount());
      }
    }
  }

  /** The mistake the contract warns about: tokenizing the pieces separately, so "\n" + "\n" never merge. */
  private static long[] handAssembled(SmolTokenizer tokenizer, String question, int rows, int cols) {
    List<Long> ids = new ArrayList<>();
    String expansion = new ImageTokenLayout(rows, cols, 64).expansion();
    List<String> pieces = new ArrayList<>(List.of("<|im_start|>User:"));
    int start = 0;
    for (int i = 0; i < expansion.length(); i++) {
      if (expansion.charAt(i) == '\n') {
        pieces.add(expansion.substring(start, i));
        pieces.add("\n");
        start = i + 1;
      }
    }
    pieces.add(expansion.substring(start));
    pieces.add(question + "<end_of_utterance>\nAssistant:");
    for (String piece : pieces) {
      for (long id : tokenizer.encode(piece)) {
        ids.add(id);
      }
    }
    return ids.stream().mapToLong(Long::longValue).toArray();
  }

  private static long[] ids(JsonNode array) {
    long[] out = new long[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asLong();
    }
    return out;
  }
}
