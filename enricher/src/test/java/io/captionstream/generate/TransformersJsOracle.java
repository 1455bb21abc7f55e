package io.captionstream.generate;

import com.fasterxml.jackson.databind.JsonNode;
import io.captionstream.parity.NodeOracle;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs {@code parity/generate.mjs}: transformers.js' own {@code generate()} on the same ONNX files. Unavailable node or
 * {@code node_modules} fail the test under {@code CI=true} and skip it elsewhere ({@link NodeOracle#require()}).
 */
final class TransformersJsOracle {

  /** One replay: a dump folder written by {@code inspect}'s code and the token cap. */
  record Case(Path dump, int maxNewTokens) {}

  /** What the oracle answered: generated ids per case, and the versions it ran. */
  record Answer(List<long[]> generated, JsonNode versions) {}

  private final NodeOracle node;

  private TransformersJsOracle(NodeOracle node) {
    this.node = node;
  }

  static TransformersJsOracle locate() {
    return new TransformersJsOracle(NodeOracle.require());
  }

  /**
   * @param dtype transformers.js' {@code dtype} option: {@code "fp32"} or a map graph name → dtype
   */
  Answer generate(Path modelDir, Object dtype, List<Case> cases) throws IOException, InterruptedException {
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("model", modelDir.toAbsolutePath().toString());
    request.put("dtype", dtype);
    List<Map<String, Object>> list = new ArrayList<>();
    for (Case c : cases) {
      list.add(Map.of("dump", c.dump().toAbsolutePath().toString(), "max_new_tokens", c.maxNewTokens()));
    }
    request.put("cases", list);
    JsonNode answer = node.run("generate.mjs", request, 600);
    List<long[]> ids = new ArrayList<>();
    for (JsonNode r : answer.path("results")) {
      long[] g = new long[r.path("generated_ids").size()];
      for (int i = 0; i < g.length; i++) {
        g[i] = r.path("generated_ids").get(i).asLong();
      }
      ids.add(g);
    }
    if (ids.size() != cases.size()) {
      throw new IllegalStateException("oracle answered " + ids.size() + " of " + cases.size() + " cases");
    }
    return new Answer(ids, answer.path("versions"));
  }
}
