package io.captionstream.generate;

import java.io.IOException;
import java.nio.file.Path;

/** Reads a dump written by {@code inspect} back into model inputs. */
final class ModelInputsFiles {

  private ModelInputsFiles() {}

  static ModelInputs read(Path dump) throws IOException {
    NpyReader.Array px = NpyReader.read(dump.resolve("pixel_values.npy"));
    NpyReader.Array ids = NpyReader.read(dump.resolve("input_ids.npy"));
    return new ModelInputs(px.asFloat32(), px.shape(), ids.asInt64());
  }
}
