package io.captionstream.model;

/**
 * The language model's dimensions from {@code config.json → text_config} (cross-checked against the ONNX session
 * metadata by the engine's graph contract).
 *
 * @param hiddenSize            {@code hidden_size} (576 for 256M)
 * @param numHiddenLayers       {@code num_hidden_layers} (30)
 * @param numAttentionHeads     {@code num_attention_heads} (9)
 * @param numKeyValueHeads      {@code num_key_value_heads} (3)
 * @param headDim               {@code head_dim}, else hidden / heads (64)
 * @param vocabSize             {@code vocab_size} (here or at the top level; 49280)
 * @param maxPositionEmbeddings {@code max_position_embeddings}, 0 if absent
 * @param ropeTheta             {@code rope_theta}, 0 if absent
 */
public record TextConfig(int hiddenSize, int numHiddenLayers, int numAttentionHeads, int numKeyValueHeads, int headDim,
    int vocabSize, int maxPositionEmbeddings, double ropeTheta) {}
