package io.captionstream.synth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a synthetic SmolVLM tokenizer ({@code tokenizer.json} + {@code tokenizer_config.json}) into a model folder:
 * a byte-level BPE in the Hugging Face {@code tokenizers} JSON format, laid out like the real SmolVLM tokenizer.
 *
 * <p>Id layout for a vocabulary of size {@code V} (the real models: {@code V = 49280}):
 * <ul>
 *   <li>0..16: the SmolLM special tokens ({@code <|endoftext|>} 0, {@code <|im_start|>} 1, {@code <|im_end|>} 2, …);
 *   <li>17..272: the 256 byte symbols (GPT-2 byte-to-unicode alphabet);
 *   <li>273..V−129: BPE merges, first learned from a small built-in English text (so common words and {@code "\n\n"}
 *       become single tokens), then seeded random merges of existing tokens until the range is full
 *       ({@link BpeMergeTrainer});
 *   <li>V−128..V−1: the SmolVLM block at the same distance from the end as in the real vocabulary:
 *       {@code <global-img>}, the 36 {@code <row_r_col_c>}, {@code <fake_token_around_image>}, {@code <image>},
 *       88 {@code <|reserved_special_token_k|>} and {@code <end_of_utterance>} (= V−1).
 * </ul>
 * Every id below {@code V} decodes, so a random-weight model's output is always decodable.
 *
 * <p>What transformers.js (4.3.1) needs from these files: {@code tokenizer.json} with {@code model.type} BPE and
 * {@code added_tokens}; {@code tokenizer_config.json} with {@code tokenizer_class}, {@code chat_template} and
 * {@code clean_up_tokenization_spaces=false} (else its decode rewrites spaces before punctuation, and DJL does not).
 * Its Idefics3Processor additionally needs {@code processor_config.json} ({@code image_seq_len},
 * {@code processor_class}) and {@code preprocessor_config.json}: the model folder writer provides those.
 */
public final class SyntheticTokenizer {

  /** Vocabulary size of the real SmolVLM-256M/500M tokenizers (= logits width). */
  public static final int REAL_VOCAB = 49280;
  /** SmolLM specials 0..16 + 256 byte symbols + the 128-token SmolVLM block + at least one merge. */
  public static final int MIN_VOCAB = 402;

  /** The real SmolVLM chat template (SmolVLM-256M/500M-Instruct {@code tokenizer_config.json}). */
  public static final String CHAT_TEMPLATE = "<|im_start|>{% for message in messages %}"
      + "{{message['role'] | capitalize}}"
      + "{% if message['content'][0]['type'] == 'image' %}{{':'}}{% else %}{{': '}}{% endif %}"
      + "{% for line in message['content'] %}{% if line['type'] == 'text' %}{{line['text']}}"
      + "{% elif line['type'] == 'image' %}{{ '<image>' }}{% endif %}{% endfor %}"
      + "<end_of_utterance>\n{% endfor %}{% if add_generation_prompt %}{{ 'Assistant:' }}{% endif %}";

  private static final List<String> LEADING_SPECIALS = List.of(
      "<|endoftext|>", "<|im_start|>", "<|im_end|>", "<repo_name>", "<reponame>", "<file_sep>", "<filename>",
      "<gh_stars>", "<issue_start>", "<issue_comment>", "<issue_closed>", "<jupyter_start>", "<jupyter_text>",
      "<jupyter_code>", "<jupyter_output>", "<jupyter_script>", "<empty_output>");
  private static final int BLOCK_START_REAL = 49152;
  private static final int BLOCK_SIZE = REAL_VOCAB - BLOCK_START_REAL;
  private static final int FAKE_REAL = 49189;
  private static final int IMAGE_REAL = 49190;
  private static final int EOU_REAL = 49279;

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private SyntheticTokenizer() {}

  /**
   * Writes {@code tokenizer.json} and {@code tokenizer_config.json} into {@code modelDir} (created if absent).
   *
   * @param vocabSize total number of ids ({@value #MIN_VOCAB} or more; the real models have {@value #REAL_VOCAB})
   * @param seed      selects the merges beyond those learned from the built-in text, and breaks frequency ties
   */
  public static void write(Path modelDir, int vocabSize, long seed) {
    requireVocab(vocabSize);
    try {
      Files.createDirectories(modelDir);
      Files.writeString(modelDir.resolve("tokenizer.json"), JSON.writeValueAsString(tokenizerJson(vocabSize, seed)),
          StandardCharsets.UTF_8);
      Files.writeString(modelDir.resolve("tokenizer_config.json"),
          JSON.writeValueAsString(tokenizerConfigJson(vocabSize)), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the synthetic tokenizer to " + modelDir, e);
    }
  }

  /**
   * The id of a SmolVLM special token in a synthetic vocabulary of {@code vocabSize}: ids 0..16 are fixed, the
   * SmolVLM block keeps its distance from the end of the real vocabulary ({@code id = V − (49280 − realId)}).
   *
   * @throws IllegalArgumentException for an unknown token or a too small vocabulary
   */
  public static int specialTokenId(String token, int vocabSize) {
    requireVocab(vocabSize);
    int lead = LEADING_SPECIALS.indexOf(token);
    if (lead >= 0) {
      return lead;
    }
    Integer real = blockRealIds().get(token);
    if (real == null) {
      throw new IllegalArgumentException("not a SmolVLM special token: " + token);
    }
    return vocabSize - (REAL_VOCAB - real);
  }

  /** Every special token with its id in a vocabulary of {@code vocabSize}, in id order. */
  public static Map<String, Integer> specialTokens(int vocabSize) {
    requireVocab(vocabSize);
    Map<String, Integer> out = new LinkedHashMap<>();
    for (int i = 0; i < LEADING_SPECIALS.size(); i++) {
      out.put(LEADING_SPECIALS.get(i), i);
    }
    blockRealIds().forEach((tok, real) -> out.put(tok, vocabSize - (REAL_VOCAB - real)));
    return out;
  }

  private static void requireVocab(int vocabSize) {
    if (vocabSize < MIN_VOCAB) {
      throw new IllegalArgumentException("vocabSize must be >= " + MIN_VOCAB + ", was " + vocabSize);
    }
  }

  /** The SmolVLM block (real ids 49152..49279), in id order. */
  private static Map<String, Integer> blockRealIds() {
    Map<String, Integer> ids = new LinkedHashMap<>();
    ids.put("<global-img>", BLOCK_START_REAL);
    for (int r = 1; r <= 6; r++) {
      for (int c = 1; c <= 6; c++) {
        ids.put("<row_" + r + "_col_" + c + ">", BLOCK_START_REAL + (r - 1) * 6 + c);
      }
    }
    ids.put("<fake_token_around_image>", FAKE_REAL);
    ids.put("<image>", IMAGE_REAL);
    for (int id = IMAGE_REAL + 1; id < EOU_REAL; id++) {
      ids.put("<|reserved_special_token_" + (id - IMAGE_REAL - 1) + "|>", id);
    }
    ids.put("<end_of_utterance>", EOU_REAL);
    return ids;
  }

  // ---------------------------------------------------------------------------------------------- tokenizer.json

  private static Map<String, Object> tokenizerJson(int vocabSize, long seed) {
    Map<String, Integer> vocab = new LinkedHashMap<>();
    for (int i = 0; i < LEADING_SPECIALS.size(); i++) {
      vocab.put(LEADING_SPECIALS.get(i), i);
    }
    String[] byteChars = BpeMergeTrainer.byteToUnicode();
    for (String s : byteChars) {
      vocab.put(s, vocab.size());
    }
    int mergeBudget = vocabSize - BLOCK_SIZE - vocab.size();
    List<String> merges = BpeMergeTrainer.learn(vocab, byteChars, mergeBudget, seed);

    Map<String, Object> model = new LinkedHashMap<>();
    model.put("type", "BPE");
    model.put("dropout", null);
    model.put("unk_token", null);
    model.put("continuing_subword_prefix", null);
    model.put("end_of_word_suffix", null);
    model.put("fuse_unk", false);
    model.put("byte_fallback", false);
    model.put("ignore_merges", false);
    model.put("vocab", vocab);
    model.put("merges", merges);

    Map<String, Object> root = new LinkedHashMap<>();
    root.put("version", "1.0");
    root.put("truncation", null);
    root.put("padding", null);
    root.put("added_tokens", addedTokens(vocabSize));
    root.put("normalizer", null);
    root.put("pre_tokenizer", Map.of("type", "Sequence", "pretokenizers", List.of(
        Map.of("type", "Digits", "individual_digits", true),
        byteLevel(false, true))));
    root.put("post_processor", byteLevel(true, false));
    root.put("decoder", byteLevel(true, true));
    root.put("model", model);
    return root;
  }

  private static Map<String, Object> byteLevel(boolean addPrefixSpace, boolean trimOffsets) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "ByteLevel");
    m.put("add_prefix_space", addPrefixSpace);
    m.put("trim_offsets", trimOffsets);
    m.put("use_regex", true);
    return m;
  }

  private static List<Map<String, Object>> addedTokens(int vocabSize) {
    List<Map<String, Object>> out = new ArrayList<>();
    specialTokens(vocabSize).forEach((content, id) -> {
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("id", id);
      t.put("content", content);
      t.put("single_word", false);
      t.put("lstrip", false);
      t.put("rstrip", false);
      t.put("normalized", false);
      t.put("special", true);
      out.add(t);
    });
    return out;
  }

  // ------------------------------------------------------------------------------------- tokenizer_config.json

  private static Map<String, Object> tokenizerConfigJson(int vocabSize) {
    Map<String, Object> decoder = new LinkedHashMap<>();
    specialTokens(vocabSize).forEach((content, id) -> {
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("content", content);
      t.put("lstrip", false);
      t.put("normalized", false);
      t.put("rstrip", false);
      t.put("single_word", false);
      t.put("special", true);
      decoder.put(String.valueOf(id), t);
    });
    Map<String, Object> cfg = new LinkedHashMap<>();
    cfg.put("add_prefix_space", false);
    cfg.put("added_tokens_decoder", decoder);
    cfg.put("additional_special_tokens", List.of("<fake_token_around_image>", "<image>", "<end_of_utterance>"));
    cfg.put("bos_token", "<|im_start|>");
    cfg.put("chat_template", CHAT_TEMPLATE);
    cfg.put("clean_up_tokenization_spaces", false);
    cfg.put("eos_token", "<end_of_utterance>");
    cfg.put("legacy", false);
    cfg.put("model_max_length", 8192);
    cfg.put("pad_token", "<|im_end|>");
    cfg.put("processor_class", "Idefics3Processor");
    cfg.put("tokenizer_class", "GPT2Tokenizer");
    cfg.put("truncation_side", "left");
    cfg.put("unk_token", "<|endoftext|>");
    cfg.put("vocab_size", vocabSize - BLOCK_SIZE);
    return cfg;
  }
}
