package io.captionstream.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.captionstream.CaptionException;
import io.captionstream.config.ConfigKeys;
import io.captionstream.generate.CaptionModel;
import io.captionstream.generate.CaptionOptions;
import io.captionstream.generate.CaptionResult;
import io.captionstream.generate.Captioner;
import io.captionstream.generate.EngineTimings;
import io.captionstream.observe.TerminalText;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * Captions image files with a local model folder, one after the other on one worker. Exit code 0 when every image
 * got a caption, 1 when at least one failed (each failure is printed), 3 when the model folder cannot be used.
 */
@Command(name = "caption", mixinStandardHelpOptions = true,
    description = "Captions image files with a local model folder.")
public final class CaptionCommand implements Callable<Integer> {

  static final int EXIT_IMAGE_FAILED = ExitCodes.FAILURE;
  static final int EXIT_MODEL_UNUSABLE = ExitCodes.UNAVAILABLE;

  @Spec CommandLine.Model.CommandSpec spec;

  @Mixin EngineOptions engine;

  @Option(names = "--max-new-tokens", description = "Cap on generated tokens (default ${DEFAULT-VALUE}).")
  int maxNewTokens = ConfigKeys.MAX_NEW_TOKENS.defaultValue();

  @Option(names = "--json", description = "One JSON object per image per line.")
  boolean json;

  @Option(names = "--token-ids", description = "Also print the generated token ids.")
  boolean tokenIds;

  @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Image files (JPEG, PNG, GIF, BMP, WebP).")
  List<Path> images;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ObjectMapper mapper = new ObjectMapper();
    int failed = 0;
    try (CaptionModel model = CaptionModel.load(engine.modelDir, engine.variant);
        Captioner captioner = model.newCaptioner(engine.engineSettings())) {
      CaptionOptions options = engine.captionOptions().withMaxNewTokens(maxNewTokens);
      for (Path image : images) {
        try {
          CaptionResult r = captioner.caption(Files.readAllBytes(image), options);
          if (json) {
            out.println(TerminalText.escape(mapper.writeValueAsString(toJson(mapper, image, r, tokenIds))));
          } else {
            out.println(TerminalText.escape(image + ": " + r.caption()));
            EngineTimings t = r.timings();
            out.printf("  %d prompt tokens (%d image, %d tiles %dx%d+1), %d generated%s, %.1f tok/s; total %.0f ms "
                    + "(decode %.0f, preprocess %.0f, vision %.0f, prefill %.0f, loop %.0f)%n",
                r.promptTokens(), r.imageTokens(), r.tiles(), r.rows(), r.cols(), r.generatedTokens(),
                r.stoppedOnEos() ? " (eos)" : "", r.tokensPerSecond(), t.total(), t.decode(), t.preprocess(),
                t.vision(), t.prefill(), t.decodeLoop());
            if (tokenIds) {
              out.println("  ids " + Arrays.toString(r.tokenIds()));
            }
          }
        } catch (CaptionException e) {
          failed++;
          printFailure(mapper, out, err, image, e.reason().name(), e.getMessage());
        } catch (IOException e) {
          failed++;
          printFailure(mapper, out, err, image, "UNREADABLE_FILE", e.toString());
        }
        out.flush();
      }
    } catch (RuntimeException e) {
      err.println("caption: cannot use model folder " + engine.modelDir + ": " + e.getMessage());
      return EXIT_MODEL_UNUSABLE;
    }
    return failed == 0 ? 0 : EXIT_IMAGE_FAILED;
  }

  private void printFailure(ObjectMapper mapper, PrintWriter out, PrintWriter err, Path image, String reason,
      String message) {
    if (json) {
      ObjectNode o = mapper.createObjectNode();
      o.put("image", image.toString());
      o.putObject("error").put("reason", reason).put("message", message);
      try {
        out.println(TerminalText.escape(mapper.writeValueAsString(o)));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    err.println(TerminalText.escape(image + ": " + reason + ": " + message));
  }

  static ObjectNode toJson(ObjectMapper mapper, Path image, CaptionResult r, boolean withIds) {
    ObjectNode o = mapper.createObjectNode();
    o.put("image", image.toString());
    o.put("caption", r.caption());
    o.put("stoppedOnEos", r.stoppedOnEos());
    ObjectNode tokens = o.putObject("tokens");
    tokens.put("prompt", r.promptTokens());
    tokens.put("image", r.imageTokens());
    tokens.put("generated", r.generatedTokens());
    o.put("rows", r.rows());
    o.put("cols", r.cols());
    o.put("tiles", r.tiles());
    o.put("tokensPerSecond", round(r.tokensPerSecond()));
    EngineTimings t = r.timings();
    ObjectNode ms = o.putObject("timingsMs");
    ms.put("decode", round(t.decode()));
    ms.put("preprocess", round(t.preprocess()));
    ms.put("vision", round(t.vision()));
    ms.put("prefill", round(t.prefill()));
    ms.put("firstToken", round(t.firstToken()));
    ms.put("decodeLoop", round(t.decodeLoop()));
    ms.put("total", round(t.total()));
    if (withIds) {
      ArrayNode ids = o.putArray("tokenIds");
      for (long id : r.tokenIds()) {
        ids.add(id);
      }
    }
    return o;
  }

  static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
