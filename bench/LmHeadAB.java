import io.captionstream.generate.*;
import io.captionstream.image.SamplePictures;
import java.nio.file.Path;
import java.util.*;

/**
 * A/B of the prefill with and without the load-time lm-head slice: two captioners of one model in one process,
 * alternating caption by caption (one tile, a long question), ids checked equal in every pair.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp enricher/target/enricher.jar bench/LmHeadAB.java MODEL_DIR REPEATS
 * RUNS
 * </pre>
 * REPEATS sets the question's length (95: about 2 360 prompt tokens), RUNS the measured pairs after one warm-up.
 */
public class LmHeadAB {
  public static void main(String[] a) throws Exception {
    Thread t = new Thread(null, () -> {
      try (CaptionModel m = CaptionModel.load(Path.of(a[0]), "fp32");
          Captioner on = m.newCaptioner(EngineSettings.threads(2));
          Captioner off = m.newCaptioner(EngineSettings.threads(2).withLastPositionLogits(false))) {
        String prompt = "Describe "
            + "the picture in great detail, every colour and shape. ".repeat(Integer.parseInt(a[1]));
        CaptionOptions o = CaptionOptions.defaults().withPrompt(prompt).withMaxNewTokens(1).withLongestEdge(512);
        byte[] pic = SamplePictures.png(1024, 1024);
        List<Double> pOn = new ArrayList<>(), pOff = new ArrayList<>();
        int tokens = 0;
        for (int r = 0; r < 1 + Integer.parseInt(a[2]); r++) {
          CaptionResult x = on.caption(pic, o), y = off.caption(pic, o);
          if (!Arrays.equals(x.tokenIds(), y.tokenIds())) throw new AssertionError("ids differ");
          tokens = x.promptTokens();
          if (r > 0) { pOn.add(x.timings().prefill()); pOff.add(y.timings().prefill()); }
        }
        Collections.sort(pOn); Collections.sort(pOff);
        System.out.printf("prompt %d tokens, slice on: %s on=%s off=%s%n", tokens, on.lastPositionLogits(), pOn, pOff);
        System.out.printf("median prefill on %.0f ms, off %.0f ms, ratio %.2f%n", pOn.get(pOn.size() / 2),
            pOff.get(pOff.size() / 2), pOff.get(pOff.size() / 2) / pOn.get(pOn.size() / 2));
      }
    }, "ab", 16L << 20);
    t.start();
    t.join();
  }
}
