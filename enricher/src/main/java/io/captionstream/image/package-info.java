/**
 * The image stage: bytes to vision encoder input, pixel-exact with the reference (transformers' slow
 * {@code Idefics3ImageProcessor} on Pillow 9.4, images loaded like {@code transformers.image_utils.load_image}).
 *
 * <pre>
 * byte[] ──ImageDecoder.decode──▶ RgbImage ──ImagePreprocessor.preprocess──▶ PixelBatch (pixel_values, mask, TileGrid)
 * </pre>
 *
 * <p>{@link io.captionstream.image.ImageDecoder} decodes JPEG/PNG/GIF/BMP/WebP, applies EXIF orientation and converts
 * to RGB with Pillow's rules (alpha dropped without compositing, palettes expanded, gray replicated, 16-bit as Pillow
 * 9.4 does it). {@link io.captionstream.image.ImagePreprocessor} resizes with
 * {@link io.captionstream.image.PillowResampler} (Pillow's fixed-point separable LANCZOS), tiles by
 * {@link io.captionstream.image.TileGrid}, and normalises. {@link io.captionstream.image.TileGrid#plan} gives the grid
 * (for the prompt's image tokens) from the image size alone.
 */
package io.captionstream.image;
