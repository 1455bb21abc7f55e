package io.captionstream.image;

import io.captionstream.CaptionException;
import io.captionstream.CaptionException.Reason;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes image bytes to {@link RgbImage} the way the reference loads images ({@code Image.open} →
 * {@code ImageOps.exif_transpose} → {@code convert("RGB")} in Pillow 9.4): JPEG, PNG (1–16 bit, gray, gray+alpha,
 * palette incl. tRNS, RGB, RGBA), GIF (first frame, on its logical screen like Pillow: see {@link GifCanvas}), BMP and
 * WebP; EXIF orientation applied; alpha dropped without
 * compositing; see {@link RasterConverter} for the exact sample rules.
 *
 * <p>Hostile input: the byte limit is checked first, the pixel limit from the header before any pixel is decoded;
 * every exception of the codecs becomes a {@link CaptionException}: {@code UNSUPPORTED_FORMAT} (not one of the five
 * formats), {@code CORRUPT_IMAGE} (truncated or undecodable; a JPEG the codec reports as ending prematurely counts as
 * truncated, like Pillow's "image file is truncated"), {@code TOO_LARGE}. Thread-safe.
 */
public final class ImageDecoder {

  private static final Set<String> FORMATS = Set.of("jpeg", "png", "gif", "bmp", "webp");

  private final DecodeLimits limits;

  public ImageDecoder(DecodeLimits limits) {
    this.limits = limits;
  }

  public ImageDecoder() {
    this(DecodeLimits.defaults());
  }

  public DecodeLimits limits() {
    return limits;
  }

  public RgbImage decode(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      throw new CaptionException(Reason.UNSUPPORTED_FORMAT, "no image bytes");
    }
    if (bytes.length > limits.maxBytes()) {
      throw new CaptionException(Reason.TOO_LARGE,
          "image has " + bytes.length + " bytes, the limit is " + limits.maxBytes());
    }
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
      ImageReader reader = readerFor(in);
      try {
        String format = formatOf(reader);
        boolean gif = format.equals("gif");
        reader.setInput(in, true, !gif);
        checkPixels(reader.getWidth(0), reader.getHeight(0), format);
        GifCanvas canvas = gif ? GifCanvas.of(reader) : null;
        if (canvas != null) {
          checkPixels(canvas.width, canvas.height, format);
        }
        TruncationListener truncation = new TruncationListener();
        reader.addIIOReadWarningListener(truncation);
        BufferedImage image = reader.read(0);
        if (truncation.truncated != null) {
          throw new CaptionException(Reason.CORRUPT_IMAGE, format + " image is truncated: " + truncation.truncated);
        }
        RgbImage rgb = RasterConverter.toRgb(image);
        if (canvas != null) {
          return canvas.place(rgb, image);
        }
        return ExifOrientation.read(bytes, format).apply(rgb);
      } finally {
        reader.dispose();
      }
    } catch (CaptionException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new CaptionException(Reason.CORRUPT_IMAGE, "cannot decode image: " + describe(e), e);
    } catch (StackOverflowError e) {
      throw new CaptionException(Reason.CORRUPT_IMAGE, "cannot decode image: codec recursion overflow", e);
    }
  }

  /** The image size in the header (before EXIF orientation), without decoding pixels; same errors as decode. */
  public ImageSize probe(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      throw new CaptionException(Reason.UNSUPPORTED_FORMAT, "no image bytes");
    }
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
      ImageReader reader = readerFor(in);
      try {
        reader.setInput(in, true, true);
        return new ImageSize(reader.getWidth(0), reader.getHeight(0));
      } finally {
        reader.dispose();
      }
    } catch (CaptionException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new CaptionException(Reason.CORRUPT_IMAGE, "cannot read image header: " + describe(e), e);
    }
  }

  private void checkPixels(int width, int height, String format) {
    if (width < 1 || height < 1) {
      throw new CaptionException(Reason.CORRUPT_IMAGE, format + " header declares size " + width + "x" + height);
    }
    long pixels = (long) width * height;
    if (pixels > limits.maxPixels()) {
      throw new CaptionException(Reason.TOO_LARGE, format + " image is " + width + "x" + height + " = " + pixels
          + " pixels, the limit is " + limits.maxPixels());
    }
  }

  private static ImageReader readerFor(ImageInputStream in) throws IOException {
    Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
    ImageReader chosen = null;
    while (readers.hasNext()) {
      ImageReader candidate = readers.next();
      if (chosen == null && FORMATS.contains(formatOf(candidate))) {
        chosen = candidate;
      } else {
        candidate.dispose();
      }
    }
    if (chosen == null) {
      throw new CaptionException(Reason.UNSUPPORTED_FORMAT,
          "not a supported image (expected JPEG, PNG, GIF, BMP or WebP)");
    }
    return chosen;
  }

  private static String formatOf(ImageReader reader) {
    try {
      String name = reader.getFormatName().toLowerCase(Locale.ROOT);
      return switch (name) {
        case "jpg", "jpeg", "jpeg-lossless" -> "jpeg";
        default -> name;
      };
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static String describe(Throwable e) {
    String msg = e.getMessage();
    return e.getClass().getSimpleName() + (msg == null || msg.isBlank() ? "" : ": " + msg);
  }

  /** JPEG codecs report a truncated file as a warning and fill the rest with gray; Pillow refuses such files. */
  private static final class TruncationListener implements IIOReadWarningListener {
    String truncated;

    @Override
    public void warningOccurred(ImageReader source, String warning) {
      String w = warning == null ? "" : warning.toLowerCase(Locale.ROOT);
      if (truncated == null && (w.contains("premature end") || w.contains("truncat"))) {
        truncated = warning;
      }
    }
  }
}
