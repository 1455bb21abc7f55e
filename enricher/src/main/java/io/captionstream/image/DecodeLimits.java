package io.captionstream.image;

/**
 * What {@link ImageDecoder} accepts before it spends memory: at most {@code maxBytes} of encoded input and at most
 * {@code maxPixels} (width × height, read from the header before any pixel is decoded). Decoding needs roughly
 * 4–8 bytes per pixel for the codec's raster plus 3 for the RGB copy, so the default 64 MP needs up to ~700 MB for a
 * 16-bit RGBA PNG and ~450 MB for a JPEG; lower {@code maxPixels} on small heaps. Pillow's own bomb guard warns above
 * 89 MP and refuses above 179 MP.
 */
public record DecodeLimits(long maxPixels, long maxBytes) {

  public static final long DEFAULT_MAX_PIXELS = 64L * 1000 * 1000;
  public static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;

  public DecodeLimits {
    if (maxPixels < 1 || maxBytes < 1) {
      throw new IllegalArgumentException("limits must be positive");
    }
  }

  public static DecodeLimits defaults() {
    return new DecodeLimits(DEFAULT_MAX_PIXELS, DEFAULT_MAX_BYTES);
  }
}
