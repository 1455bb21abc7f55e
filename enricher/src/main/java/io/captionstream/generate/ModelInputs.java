package io.captionstream.generate;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * What the model sees for one image: the normalised tiles and the expanded, tokenised prompt. The pixel attention mask
 * is all true for batch 1 and is built by the engine.
 *
 * @param pixelValues float32 values of shape {@code pixelShape}, row-major (a direct buffer avoids one copy)
 * @param pixelShape  {@code [1, tiles, 3, S, S]}
 * @param inputIds    the prompt ids, {@code <image>} ids included
 */
public record ModelInputs(FloatBuffer pixelValues, long[] pixelShape, long[] inputIds) {

  public ModelInputs {
    if (pixelShape.length != 5 || pixelShape[0] != 1 || pixelShape[2] != 3) {
      throw new IllegalArgumentException("pixel shape must be [1, tiles, 3, S, S], is " + Arrays.toString(pixelShape));
    }
    long n = 1;
    for (long d : pixelShape) {
      n *= d;
    }
    if (pixelValues.remaining() != n) {
      throw new IllegalArgumentException("pixel buffer holds " + pixelValues.remaining() + " values, shape "
          + Arrays.toString(pixelShape) + " needs " + n);
    }
    if (inputIds.length == 0) {
      throw new IllegalArgumentException("input ids are empty");
    }
    pixelShape = pixelShape.clone();
    inputIds = inputIds.clone();
  }

  @Override
  public long[] pixelShape() {
    return pixelShape.clone();
  }

  @Override
  public long[] inputIds() {
    return inputIds.clone();
  }

  /** Tiles fed to the vision encoder. */
  public int tiles() {
    return (int) pixelShape[1];
  }

  int promptLength() {
    return inputIds.length;
  }

  long id(int i) {
    return inputIds[i];
  }
}
