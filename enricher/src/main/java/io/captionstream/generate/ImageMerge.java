package io.captionstream.generate;

import java.nio.FloatBuffer;

/** Stage 2 of a generation: puts the image feature rows into the prompt's embedding rows. */
@FunctionalInterface
interface ImageMerge {

  /**
   * @param features {@code [imageTokens, hidden]} from the vision encoder
   * @param embeds   the prompt's embedding rows {@code [n, hidden]}, overwritten in place
   */
  void merge(ModelInputs in, FloatBuffer features, FloatBuffer embeds, int hidden);

  /** The contract: the k-th {@code <image>} id's row becomes the k-th feature row. */
  static ImageMerge intoImageRows(long imageTokenId) {
    return (in, features, embeds, hidden) -> {
      float[] row = new float[hidden];
      int k = 0;
      for (int p = 0; p < in.promptLength(); p++) {
        if (in.id(p) == imageTokenId) {
          features.get(k * hidden, row);
          embeds.put(p * hidden, row);
          k++;
        }
      }
    };
  }
}
