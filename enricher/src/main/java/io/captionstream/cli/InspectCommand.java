package io.captionstream.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.captionstream.CaptionException;
import io.captionstream.generate.CaptionModel;
import io.captionstream.generate.ModelInputs;
import io.captionstream.generate.NpyWriter;
import io.captionstream.generate.PreparedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * Dumps what the model sees for one image, in files other tools read: {@code pixel_values.npy} (float32
 * {@code [1,T,3,S,S]}), {@code pixel_attention_mask.npy} (bool {@code [1,T,S,S]}), {@code input_ids.npy} (int64
 * {@code [1,N]}), {@code prompt.txt} (the expanded prompt), and prints a JSON summary. Runs no ONNX graph.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = "Dumps what the model sees for one image: pixel values, mask, input ids, prompt.")
public final class InspectCommand implements Callable<Integer> {

  @Spec CommandLine.Model.CommandSpec spec;

  @Mixin EngineOptions engine;

  @Option(names = "--dump", required = true, paramLabel = "OUT", description = "Folder to write the files into.")
  Path dump;

  @Parameters(arity = "1", paramLabel = "IMAGE", description = "Image file (JPEG, PNG, GIF, BMP, WebP).")
  Path image;

  @Override
  public Integer call() throws IOException {
    PreparedImage p;
    try (CaptionModel model = CaptionModel.load(engine.modelDir, engine.variant)) {
      p = model.prepare(Files.readAllBytes(image), engine.captionOptions());
    } catch (CaptionException e) {
      spec.commandLine().getErr().println(image + ": " + e.reason() + ": " + e.getMessage());
      return CaptionCommand.EXIT_IMAGE_FAILED;
    } catch (RuntimeException e) {
      spec.commandLine().getErr().println("inspect: cannot use model folder " + engine.modelDir + ": "
          + e.getMessage());
      return CaptionCommand.EXIT_MODEL_UNUSABLE;
    }
    write(p, dump);
    ObjectNode o = new ObjectMapper().createObjectNode();
    o.put("image", image.toString());
    o.put("rows", p.rows());
    o.put("cols", p.cols());
    o.put("tiles", p.tiles());
    o.put("tileSize", p.inputs().pixelShape()[3]);
    o.put("imageTokens", p.imageTokens());
    o.put("promptTokens", p.promptTokens());
    o.put("dump", dump.toString());
    spec.commandLine().getOut().println(new ObjectMapper().writeValueAsString(o));
    return 0;
  }

  /** Writes the four files of a prepared image into {@code dir} (created if needed). */
  public static void write(PreparedImage p, Path dir) throws IOException {
    Files.createDirectories(dir);
    ModelInputs in = p.inputs();
    long[] shape = in.pixelShape();
    NpyWriter.writeFloat32(dir.resolve("pixel_values.npy"), in.pixelValues(), shape);
    long[] maskShape = {shape[0], shape[1], shape[3], shape[4]};
    boolean[] mask = new boolean[Math.toIntExact(maskShape[0] * maskShape[1] * maskShape[2] * maskShape[3])];
    Arrays.fill(mask, true);
    NpyWriter.writeBool(dir.resolve("pixel_attention_mask.npy"), mask, maskShape);
    long[] ids = in.inputIds();
    NpyWriter.writeInt64(dir.resolve("input_ids.npy"), ids, new long[] {1, ids.length});
    Files.writeString(dir.resolve("prompt.txt"), p.promptText(), StandardCharsets.UTF_8);
  }
}
