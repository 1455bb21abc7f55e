package io.captionstream.cli;

import io.captionstream.schema.ImageReference;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** Turns what a user points at (files, directories, URLs, the bundled samples) into {@link ImageReference}s. */
final class ImageSources {

  static final List<String> IMAGE_EXTENSIONS = List.of("jpg", "jpeg", "png", "gif", "bmp", "webp");

  private ImageSources() {}

  /**
   * @param inline {@code true}: files become {@code data:} URIs (the service needs no access to this disk);
   *               {@code false}: {@code file:} URIs (the service needs {@code --file-root} covering them)
   */
  static List<ImageReference> of(List<String> args, boolean inline) throws IOException {
    List<ImageReference> refs = new ArrayList<>();
    for (String a : args) {
      String lower = a.toLowerCase(Locale.ROOT);
      if (lower.startsWith("http://") || lower.startsWith("https://") || lower.startsWith("data:")
          || lower.startsWith("file:")) {
        refs.add(ImageReference.of(idOf(a), a));
        continue;
      }
      Path p = Path.of(a);
      if (Files.isDirectory(p)) {
        try (Stream<Path> files = Files.walk(p)) {
          for (Path f : files.filter(Files::isRegularFile).filter(ImageSources::isImage).sorted().toList()) {
            refs.add(file(f, inline));
          }
        }
      } else if (Files.isRegularFile(p)) {
        refs.add(file(p, inline));
      } else {
        throw new IOException("no such file, directory or URL: " + a);
      }
    }
    return refs;
  }

  /** The sample images bundled in the jar, as {@code data:} URIs. */
  static List<ImageReference> samples() throws IOException {
    List<ImageReference> refs = new ArrayList<>();
    for (String name : resource("samples/index.txt").lines().map(String::trim).filter(s -> !s.isEmpty()).toList()) {
      byte[] bytes;
      try (InputStream in = ImageSources.class.getClassLoader().getResourceAsStream("samples/" + name)) {
        if (in == null) {
          throw new IOException("bundled sample " + name + " is missing from the jar");
        }
        bytes = in.readAllBytes();
      }
      refs.add(ImageReference.of(name, dataUri(name, bytes)));
    }
    return refs;
  }

  private static String resource(String path) throws IOException {
    try (InputStream in = ImageSources.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IOException(path + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static ImageReference file(Path f, boolean inline) throws IOException {
    String id = f.getFileName().toString();
    if (inline) {
      return ImageReference.of(id, dataUri(id, Files.readAllBytes(f)));
    }
    return ImageReference.of(id, f.toAbsolutePath().normalize().toUri().toString());
  }

  static String dataUri(String name, byte[] bytes) {
    return "data:" + mimeOf(name) + ";base64," + Base64.getEncoder().encodeToString(bytes);
  }

  private static String mimeOf(String name) {
    String ext = extension(name);
    return switch (ext) {
      case "jpg", "jpeg" -> "image/jpeg";
      case "png" -> "image/png";
      case "gif" -> "image/gif";
      case "bmp" -> "image/bmp";
      case "webp" -> "image/webp";
      default -> "application/octet-stream";
    };
  }

  private static boolean isImage(Path p) {
    return IMAGE_EXTENSIONS.contains(extension(p.getFileName().toString()));
  }

  private static String extension(String name) {
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  private static String idOf(String uri) {
    if (uri.toLowerCase(Locale.ROOT).startsWith("data:")) {
      return "inline-" + Integer.toHexString(uri.hashCode());
    }
    String path = URI.create(uri).getPath();
    if (path == null || path.isEmpty() || path.endsWith("/")) {
      return uri;
    }
    return path.substring(path.lastIndexOf('/') + 1);
  }
}
