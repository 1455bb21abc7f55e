package io.captionstream.hub;

import io.captionstream.model.OnnxVariant;
import io.captionstream.model.VariantSelection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Finds the model folder a command should load: an explicit {@code --model-dir} wins; otherwise the hub cache is
 * searched; otherwise, when the command allows it, the model is downloaded into the cache.
 */
public final class ModelResolver {

  /** Where a model is, which variant to load from it, and how it was found ({@code dir}, {@code cache}, {@code
   * download}). */
  public record ResolvedModel(Path folder, String repo, VariantSelection variant, String source) {}

  private final HubSettings settings;
  private final DownloadProgress progress;

  public ModelResolver(HubSettings settings, DownloadProgress progress) {
    this.settings = settings;
    this.progress = progress;
  }

  /**
   * @param modelDir      a local model folder, or {@code null}
   * @param repo          the hub repository used when {@code modelDir} is null
   * @param revision      branch, tag or commit
   * @param variant       the ONNX variant, or {@code null} = the first complete one in the folder (fp32 preferred),
   *                      {@code fp32} for the cache and downloads
   * @param allowDownload whether a missing model may be downloaded
   */
  public ResolvedModel resolve(Path modelDir, String repo, String revision, VariantSelection variant,
      boolean allowDownload) {
    if (modelDir != null) {
      return new ResolvedModel(modelDir, repoOf(modelDir), variantIn(modelDir, variant), "dir");
    }
    VariantSelection v = variant == null ? VariantSelection.defaults() : variant;
    Optional<Path> cached = new HubCache(settings.hubCache()).completeSnapshot(repo, revision,
        VariantFiles.requiredFiles(v));
    if (cached.isPresent()) {
      return new ResolvedModel(cached.get(), repo, v, "cache");
    }
    if (!allowDownload) {
      throw new HubException(HubException.Kind.NOT_FOUND,
          repo + " (" + v + ") is not in the hub cache " + settings.hubCache()
              + "; run `download-model --model-repo " + repo + " --variant " + v + "` or pass --model-dir DIR");
    }
    ModelDownloader.CachedModel m = new ModelDownloader(settings, progress).download(repo, revision, v);
    return new ResolvedModel(m.folder(), repo, v, "download");
  }

  /** The requested variant when its graphs are in the folder, else (when none was requested) the first complete one. */
  static VariantSelection variantIn(Path dir, VariantSelection requested) {
    if (!Files.isDirectory(dir)) {
      throw new HubException(HubException.Kind.NOT_FOUND, "--model-dir " + dir + " is not a directory");
    }
    if (!Files.isRegularFile(dir.resolve("config.json"))) {
      throw new HubException(HubException.Kind.NOT_FOUND,
          "--model-dir " + dir
              + " has no config.json; it must hold a SmolVLM model folder (configs, tokenizer, onnx/)");
    }
    List<VariantSelection> candidates = requested == null
        ? Arrays.stream(OnnxVariant.values()).map(VariantSelection::all).toList() : List.of(requested);
    for (VariantSelection v : candidates) {
      if (VariantFiles.graphFiles(v).stream().allMatch(f -> Files.isRegularFile(dir.resolve(f)))) {
        return v;
      }
    }
    throw new HubException(HubException.Kind.NOT_FOUND,
        "--model-dir " + dir + " has no complete ONNX variant"
            + (requested == null ? "" : " " + requested + " (needs " + VariantFiles.graphFiles(requested) + ")"));
  }

  /** A snapshot folder inside a hub cache names its repo; any other folder is named by its path. */
  private static String repoOf(Path dir) {
    Path abs = dir.toAbsolutePath().normalize();
    if (abs.getParent() != null && abs.getParent().getFileName() != null
        && abs.getParent().getFileName().toString().equals("snapshots")) {
      Path repoFolder = abs.getParent().getParent();
      String name = repoFolder == null || repoFolder.getFileName() == null ? "" : repoFolder.getFileName().toString();
      if (name.startsWith("models--")) {
        return name.substring("models--".length()).replaceFirst("--", "/");
      }
    }
    return abs.toString();
  }
}
