package io.captionstream.generate;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.captionstream.model.GraphContract;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Map;
import java.util.Set;

/**
 * The token embedder ({@code embed_tokens}) writing into this worker's own reusable direct buffers (ORT pinned
 * outputs): one grown for prompts, one for the single id of a decode step. A view returned by one call is valid until
 * the next call of the same kind. Owned by one worker.
 */
final class TokenEmbedder {

  private final SessionSet sessions;
  private final int hidden;
  private ByteBuffer promptRows = ByteBuffer.allocateDirect(0);
  private final ByteBuffer stepRow;

  TokenEmbedder(SessionSet sessions) {
    this.sessions = sessions;
    this.hidden = sessions.contract().hidden();
    this.stepRow = ByteBuffer.allocateDirect(4 * hidden).order(ByteOrder.nativeOrder());
  }

  int hidden() {
    return hidden;
  }

  /** The prompt's embedding rows {@code [n, hidden]}. */
  FloatBuffer prompt(long[] ids, RunControl control) throws OrtException {
    long bytes = 4L * ids.length * hidden;
    if (promptRows.capacity() < bytes) {
      promptRows = ByteBuffer.allocateDirect(Math.toIntExact(bytes)).order(ByteOrder.nativeOrder());
    }
    FloatBuffer view = slice(promptRows, bytes);
    run(LongBuffer.wrap(ids), ids.length, view, control);
    return view;
  }

  /** The embedding row of one id. */
  FloatBuffer token(long id, RunControl control) throws OrtException {
    FloatBuffer view = slice(stepRow, 4L * hidden);
    run(LongBuffer.wrap(new long[] {id}), 1, view, control);
    return view;
  }

  private void run(LongBuffer ids, int n, FloatBuffer target, RunControl control) throws OrtException {
    try (OnnxTensor idTensor = OnnxTensor.createTensor(sessions.env(), ids, new long[] {1, n});
        OnnxTensor outTensor = OnnxTensor.createTensor(sessions.env(), target.duplicate(), new long[] {1, n, hidden});
        OrtSession.Result ignored = sessions.embed().run(Map.of(GraphContract.INPUT_IDS, idTensor), Set.of(),
            Map.of(GraphContract.INPUTS_EMBEDS, outTensor), control.options())) {
      // the embeddings are now in target's native memory
    }
  }

  private static FloatBuffer slice(ByteBuffer buffer, long bytes) {
    ByteBuffer view = buffer.duplicate();
    view.clear().limit(Math.toIntExact(bytes));
    return view.slice().order(ByteOrder.nativeOrder()).asFloatBuffer();
  }
}
