package io.captionstream.tools;

import io.captionstream.schema.ImageReference;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Turns what a user points at (files, directories, URLs, the bundled samples) into {@link ImageReference}s. */
public final class ImageSources {

  static final List<String> IMAGE_EXTENSIONS = List.of("jpg", "jpeg", "png", "gif", "bmp", "webp");

  private ImageSources() {}

  /**
   * @param inline {@code true}: files become {@code data:} URIs (the service needs no access to this disk);
   *               {@code false}: {@code file:} URIs (the service needs {@code --file-root} covering them)
   */
  public static List<ImageReference> of(List<String> args, boolean inline) throws IOException {
    List<ImageReference> refs = new ArrayList<>();
    List<String> paths = new ArrayList<>(); // what names each ref when its file name is not unique
    for (String a : args) {
      String lower = a.toLowerCase(Locale.ROOT);
      if (lower.startsWith("http://") || lower.startsWith("https://") || lower.startsWith("data:")
          || lower.startsWith("file:")) {
        refs.add(ImageReference.of(idOf(a), a));
        paths.add(a);
        continue;
      }
      Path p = Path.of(a);
      if (Files.isDirectory(p)) {
        try (Stream<Path> files = Files.walk(p)) {
          for (Path f : files.filter(Files::isRegularFile).filter(ImageSources::isImage).sorted().toList()) {
            refs.add(file(f, inline));
            paths.add(f.toString());
          }
        }
      } else if (Files.isRegularFile(p)) {
        refs.add(file(p, inline));
        paths.add(p.toString());
      } else {
        throw new IOException("no such file, directory or URL: " + a);
      }
    }
    return uniqueIds(refs, paths);
  }

  /**
   * Ids are file names (or a URL's last segment) while those are unique; two images of one name (photo.jpg in two
   * folders) are named by their paths instead, and what still repeats (the same file twice) gets a {@code #n} suffix.
   */
  private static List<ImageReference> uniqueIds(List<ImageReference> refs, List<String> paths) {
    Map<String, Long> byName = refs.stream().collect(Collectors.groupingBy(ImageReference::id, Collectors.counting()));
    Map<String, Integer> seen = new HashMap<>();
    List<ImageReference> unique = new ArrayList<>();
    for (int i = 0; i < refs.size(); i++) {
      ImageReference r = refs.get(i);
      String id = byName.get(r.id()) > 1 ? paths.get(i) : r.id();
      int n = seen.merge(id, 1, Integer::sum);
      unique.add(ImageReference.of(n == 1 ? id : id + "#" + n, r.uri()));
    }
    return unique;
  }

  /** The sample images bundled in the jar, as {@code data:} URIs. */
  public static List<ImageReference> samples() throws IOException {
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

  public static String dataUri(String name, byte[] bytes) {
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
