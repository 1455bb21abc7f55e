package io.captionstream.generate;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.captionstream.model.GraphContract;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The decoder's key/value cache between steps. The past of step t is the {@code present.*} outputs of step t&minus;1,
 * fed back as the native ORT values (mapped {@code present.i.key → past_key_values.i.key} by name, no Java copy); the
 * result holding them is closed once the next step has run. Before the first step the past is zero-length tensors
 * {@code [1, kv_heads, 0, head_dim]} in the declared dtype. Not thread-safe.
 */
final class KvCache implements AutoCloseable {

  private final GraphContract contract;
  private final List<OnnxTensor> empty;
  private OrtSession.Result held;
  private int length;

  KvCache(OrtEnvironment env, GraphContract contract) {
    this.contract = contract;
    this.empty = new ArrayList<>(2 * contract.layers());
    long[] shape = {1, contract.kvHeads(), 0, contract.headDim()};
    OnnxJavaType type = contract.kvType();
    try {
      for (int i = 0; i < 2 * contract.layers(); i++) {
        empty.add(OnnxTensor.createTensor(env, ByteBuffer.allocateDirect(0).order(ByteOrder.nativeOrder()), shape,
            type));
      }
    } catch (OrtException e) {
      close();
      throw new IllegalStateException("cannot create the empty KV cache: " + e.getMessage(), e);
    }
  }

  /** Tokens the cache holds (the {@code past} length of the next step). */
  int length() {
    return length;
  }

  /** Puts every {@code past_key_values.*} input of the next decoder step into {@code inputs}. */
  void addPastInputs(Map<String, OnnxTensorLike> inputs) {
    List<String> keys = contract.pastKeys();
    List<String> values = contract.pastValues();
    for (int i = 0; i < contract.layers(); i++) {
      if (held == null) {
        inputs.put(keys.get(i), empty.get(2 * i));
        inputs.put(values.get(i), empty.get(2 * i + 1));
      } else {
        inputs.put(keys.get(i), present(contract.presentKeys().get(i)));
        inputs.put(values.get(i), present(contract.presentValues().get(i)));
      }
    }
  }

  private OnnxTensor present(String name) {
    OnnxValue v = held.get(name).orElseThrow(() -> new IllegalStateException("decoder returned no " + name));
    return (OnnxTensor) v;
  }

  /**
   * Adopts {@code result}'s {@code present.*} as the next past (the cache now owns {@code result}) and closes the
   * previously held result, whose tensors were the inputs of the step that produced {@code result}.
   *
   * @param added tokens the step appended
   */
  void advance(OrtSession.Result result, int added) {
    OrtSession.Result previous = held;
    held = result;
    length += added;
    if (previous != null) {
      previous.close();
    }
    long[] shape = present(contract.presentKeys().get(0)).getInfo().getShape();
    if (shape.length != 4 || shape[2] != length) {
      throw new IllegalStateException("present.0.key has sequence length " + (shape.length == 4 ? shape[2] : -1)
          + " but the cache expects " + length);
    }
  }

  /** Forgets the past (closing what it held). */
  void clear() {
    if (held != null) {
      held.close();
      held = null;
    }
    length = 0;
  }

  @Override
  public void close() {
    clear();
    for (OnnxTensor t : empty) {
      t.close();
    }
    empty.clear();
  }
}
