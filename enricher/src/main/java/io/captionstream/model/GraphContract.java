package io.captionstream.model;

import ai.onnxruntime.OnnxJavaType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the three SmolVLM graphs of a model folder declare, read from ONNX Runtime's session metadata and never
 * assumed: layer count (number of {@code past_key_values.*.key} inputs), kv heads and head dim (static dims 1 and 3 of
 * the past inputs), hidden size (embedder output), vocabulary (logits), KV and logits element types, the optional
 * {@code use_cache_branch} input and the vision output rank.
 *
 * @param layers          decoder layers
 * @param kvHeads         key/value heads
 * @param headDim         per-head dimension
 * @param hidden          text hidden size (embedder output, decoder input, image feature width)
 * @param vocab           logits width
 * @param kvType          element type of {@code past_key_values.*} (FLOAT or FLOAT16)
 * @param logitsType      element type of {@code logits} (FLOAT or FLOAT16)
 * @param useCacheBranch  whether the decoder declares a {@code use_cache_branch} input
 * @param hasAttentionMask whether the decoder declares {@code attention_mask}
 * @param hasPositionIds  whether the decoder declares {@code position_ids}
 * @param pixelMaskType   element type of the vision {@code pixel_attention_mask}, {@code null} if not declared
 * @param tileSize        static tile side S of {@code pixel_values}, {@code -1} when dynamic
 * @param visionOutput    name of the vision encoder's output
 * @param visionOutputRank 2 or 3
 * @param pastKeys        {@code past_key_values.i.key} in layer order
 * @param pastValues      {@code past_key_values.i.value} in layer order
 * @param presentKeys     the matching {@code present.i.key} outputs
 * @param presentValues   the matching {@code present.i.value} outputs
 */
public record GraphContract(
    int layers,
    int kvHeads,
    int headDim,
    int hidden,
    int vocab,
    OnnxJavaType kvType,
    OnnxJavaType logitsType,
    boolean useCacheBranch,
    boolean hasAttentionMask,
    boolean hasPositionIds,
    OnnxJavaType pixelMaskType,
    int tileSize,
    String visionOutput,
    int visionOutputRank,
    List<String> pastKeys,
    List<String> pastValues,
    List<String> presentKeys,
    List<String> presentValues) {

  public static final String PIXEL_VALUES = "pixel_values";
  public static final String PIXEL_ATTENTION_MASK = "pixel_attention_mask";
  public static final String INPUT_IDS = "input_ids";
  public static final String INPUTS_EMBEDS = "inputs_embeds";
  public static final String ATTENTION_MASK = "attention_mask";
  public static final String POSITION_IDS = "position_ids";
  public static final String USE_CACHE_BRANCH = "use_cache_branch";
  public static final String LOGITS = "logits";

  private static final Pattern PAST = Pattern.compile("past_key_values\\.(\\d+)\\.(key|value)");

  public GraphContract {
    pastKeys = List.copyOf(pastKeys);
    pastValues = List.copyOf(pastValues);
    presentKeys = List.copyOf(presentKeys);
    presentValues = List.copyOf(presentValues);
  }

  /** Image features per tile are not part of the graph metadata; rows are checked against {@code <image>} ids. */
  public static GraphContract derive(
      String visionFile, Map<String, TensorSpec> visionIn, Map<String, TensorSpec> visionOut,
      String embedFile, Map<String, TensorSpec> embedIn, Map<String, TensorSpec> embedOut,
      String decoderFile, Map<String, TensorSpec> decoderIn, Map<String, TensorSpec> decoderOut) {
    // vision encoder
    TensorSpec pixels = require(visionFile, visionIn, PIXEL_VALUES, "input");
    if (pixels.type() != OnnxJavaType.FLOAT || pixels.rank() != 5) {
      throw fail(visionFile,
          "input " + PIXEL_VALUES + " must be float32 rank 5 [batch, images, 3, S, S], is " + pixels);
    }
    TensorSpec mask = visionIn.get(PIXEL_ATTENTION_MASK);
    if (visionOut.size() != 1) {
      throw fail(visionFile, "must have exactly one output (image features), has " + visionOut.keySet());
    }
    String visionOutput = visionOut.keySet().iterator().next();
    TensorSpec features = visionOut.get(visionOutput);
    if (features.type() != OnnxJavaType.FLOAT || (features.rank() != 2 && features.rank() != 3)) {
      throw fail(visionFile, "output " + visionOutput + " must be float32 of rank 2 or 3, is " + features);
    }
    // token embedder
    TensorSpec ids = require(embedFile, embedIn, INPUT_IDS, "input");
    if (ids.type() != OnnxJavaType.INT64) {
      throw fail(embedFile, "input " + INPUT_IDS + " must be int64, is " + ids);
    }
    TensorSpec embeds = require(embedFile, embedOut, INPUTS_EMBEDS, "output");
    if (embeds.type() != OnnxJavaType.FLOAT || embeds.rank() != 3) {
      throw fail(embedFile, "output " + INPUTS_EMBEDS + " must be float32 [batch, seq, hidden], is " + embeds);
    }
    int hidden = (int) embeds.dim(2);
    if (hidden <= 0) {
      throw fail(embedFile, "output " + INPUTS_EMBEDS + " has no static hidden size (dim 2): " + embeds);
    }
    long featureWidth = features.dim(features.rank() - 1);
    if (featureWidth > 0 && featureWidth != hidden) {
      throw fail(visionFile,
          "output " + visionOutput + " width " + featureWidth + " differs from the embedder's hidden "
          + hidden + " (" + embedFile + ")");
    }
    // decoder
    TensorSpec decEmbeds = require(decoderFile, decoderIn, INPUTS_EMBEDS, "input");
    if (decEmbeds.type() != OnnxJavaType.FLOAT || (decEmbeds.dim(2) > 0 && decEmbeds.dim(2) != hidden)) {
      throw fail(decoderFile,
          "input " + INPUTS_EMBEDS + " must be float32 [batch, seq, " + hidden + "], is " + decEmbeds);
    }
    TreeMap<Integer, String> keys = new TreeMap<>();
    TreeMap<Integer, String> values = new TreeMap<>();
    for (String name : decoderIn.keySet()) {
      Matcher m = PAST.matcher(name);
      if (m.matches()) {
        (m.group(2).equals("key") ? keys : values).put(Integer.parseInt(m.group(1)), name);
      }
    }
    int layers = keys.size();
    if (layers == 0) {
      throw fail(decoderFile, "declares no past_key_values.*.key inputs");
    }
    if (!keys.keySet().equals(values.keySet()) || keys.lastKey() != layers - 1) {
      throw fail(decoderFile, "past_key_values inputs are not layers 0.." + (layers - 1) + " with key and value: keys "
          + keys.keySet() + ", values " + values.keySet());
    }
    TensorSpec first = decoderIn.get(keys.firstEntry().getValue());
    OnnxJavaType kvType = first.type();
    if (kvType != OnnxJavaType.FLOAT && kvType != OnnxJavaType.FLOAT16) {
      throw fail(decoderFile, "past_key_values dtype must be float32 or float16, is " + kvType);
    }
    if (first.rank() != 4 || first.dim(1) <= 0 || first.dim(3) <= 0) {
      throw fail(decoderFile, keys.firstEntry().getValue() + " must be [batch, kv_heads, past, head_dim] with static "
          + "kv_heads and head_dim, is " + first);
    }
    int kvHeads = (int) first.dim(1);
    int headDim = (int) first.dim(3);
    List<String> presentKeys = new ArrayList<>();
    List<String> presentValues = new ArrayList<>();
    for (int i = 0; i < layers; i++) {
      for (String past : List.of(keys.get(i), values.get(i))) {
        TensorSpec s = decoderIn.get(past);
        if (s.type() != kvType || s.rank() != 4 || s.dim(1) != kvHeads || s.dim(3) != headDim) {
          throw fail(decoderFile, past + " is " + s + ", expected " + kvType + " [batch, " + kvHeads + ", past, "
              + headDim + "] like " + keys.get(0));
        }
        String present = "present" + past.substring("past_key_values".length());
        require(decoderFile, decoderOut, present, "output (the cache returned for " + past + ")");
      }
      presentKeys.add("present." + i + ".key");
      presentValues.add("present." + i + ".value");
    }
    TensorSpec logits = require(decoderFile, decoderOut, LOGITS, "output");
    if ((logits.type() != OnnxJavaType.FLOAT && logits.type() != OnnxJavaType.FLOAT16) || logits.rank() != 3) {
      throw fail(decoderFile, "output logits must be float32/float16 [batch, seq, vocab], is " + logits);
    }
    int vocab = (int) logits.dim(2);
    if (vocab <= 0) {
      throw fail(decoderFile, "output logits has no static vocabulary size (dim 2): " + logits);
    }
    return new GraphContract(layers, kvHeads, headDim, hidden, vocab, kvType, logits.type(),
        decoderIn.containsKey(USE_CACHE_BRANCH), decoderIn.containsKey(ATTENTION_MASK),
        decoderIn.containsKey(POSITION_IDS), mask == null ? null : mask.type(),
        pixels.dim(3) > 0 && pixels.dim(3) == pixels.dim(4) ? (int) pixels.dim(3) : -1,
        visionOutput, features.rank(), new ArrayList<>(keys.values()), new ArrayList<>(values.values()),
        presentKeys, presentValues);
  }

  /**
   * Compares the graphs with {@code config.json → text_config} as the model folder parsed it.
   *
   * @param configFile named in the message
   * @throws GraphContractException naming the file and the field that disagrees
   */
  public void checkAgainst(TextConfig text, Path configFile) {
    String file = configFile.getFileName().toString();
    check(file, "text_config.num_hidden_layers", text.numHiddenLayers(), layers,
        "decoder inputs past_key_values.*.key");
    check(file, "text_config.num_key_value_heads", text.numKeyValueHeads(), kvHeads,
        "decoder input past_key_values.0.key dim 1");
    check(file, "text_config.head_dim", text.headDim(), headDim, "decoder input past_key_values.0.key dim 3");
    check(file, "text_config.hidden_size", text.hiddenSize(), hidden, "embed_tokens output inputs_embeds dim 2");
    check(file, "text_config.vocab_size", text.vocabSize(), vocab, "decoder output logits dim 2");
  }

  private static void check(String file, String field, int configValue, int graphValue, String where) {
    if (configValue != graphValue) {
      throw new GraphContractException(file + ": " + field + " = " + configValue + " but the ONNX graphs declare "
          + graphValue + " (" + where + ")");
    }
  }

  private static TensorSpec require(String file, Map<String, TensorSpec> specs, String name, String what) {
    TensorSpec s = specs.get(name);
    if (s == null) {
      throw fail(file, "missing " + what + " '" + name + "' (declares " + specs.keySet() + ")");
    }
    return s;
  }

  private static GraphContractException fail(String file, String message) {
    return new GraphContractException(file + ": " + message);
  }
}
