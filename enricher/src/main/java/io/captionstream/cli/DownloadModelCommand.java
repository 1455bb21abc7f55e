package io.captionstream.cli;

import io.captionstream.config.ConfigKeys;
import io.captionstream.hub.ConsoleProgressBar;
import io.captionstream.hub.DownloadProgress;
import io.captionstream.hub.HubException;
import io.captionstream.hub.HubSettings;
import io.captionstream.hub.ModelDownloader;
import io.captionstream.model.VariantSelection;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Downloads one variant of a SmolVLM model into the standard Hugging Face hub cache. */
@Command(
    name = "download-model",
    mixinStandardHelpOptions = true,
    description = {
      "Downloads a SmolVLM model (configs, tokenizer and the three ONNX graphs of one variant) from the Hugging "
          + "Face hub "
          + "into the hub cache ($HF_HOME/hub, shared with Python tools). Resumes interrupted downloads; checks every "
          + "file against the hub's etag (sha256, or git sha1 for small files).",
      "Environment: HF_ENDPOINT (mirror), HF_TOKEN (gated/private repos), HF_HOME / HF_HUB_CACHE, HF_HUB_OFFLINE."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:downloaded (or already cached)", "1:download failed (integrity, I/O)", "2:bad arguments",
        "3:hub unreachable, access refused or file not found"})
public final class DownloadModelCommand implements Callable<Integer> {

  @Option(names = "--model-repo", description = "Hub repository (default: ${DEFAULT-VALUE}).")
  String repo = ConfigKeys.MODEL_REPO.defaultText();

  @Option(names = "--model-revision", description = "Branch, tag or commit (default: ${DEFAULT-VALUE}).")
  String revision = ConfigKeys.MODEL_REVISION.defaultText();

  @Option(names = "--variant", description = "ONNX variant: fp32, fp16, int8, uint8, quantized, q4, q4f16, bnb4, "
      + "or per graph like q4,vision=fp32 (default: ${DEFAULT-VALUE}).")
  String variant = "fp32";

  @Option(names = "--repo", hidden = true, description = "Old spelling of --model-repo.")
  void legacyRepo(String r) {
    repo = r;
  }

  @Option(names = "--revision", hidden = true, description = "Old spelling of --model-revision.")
  void legacyRevision(String r) {
    revision = r;
  }

  @Option(names = "--cache-dir",
      description = "Hub cache folder (default: $HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub).")
  Path cacheDir;

  @Option(names = "--endpoint", description = "Hub address (default: $HF_ENDPOINT, else https://huggingface.co).")
  URI endpoint;

  @Option(names = {"-q", "--quiet"}, description = "No progress bar; print only the model folder.")
  boolean quiet;

  @Override
  public Integer call() {
    VariantSelection v;
    try {
      v = VariantSelection.parse(variant);
    } catch (IllegalArgumentException e) {
      System.err.println("download-model: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    HubSettings settings = HubSettings.fromEnvironment();
    if (cacheDir != null) {
      settings = settings.withHubCache(cacheDir);
    }
    if (endpoint != null) {
      settings = settings.withEndpoint(endpoint);
    }
    try {
      ModelDownloader.CachedModel m =
          new ModelDownloader(settings, quiet ? DownloadProgress.NONE : ConsoleProgressBar.stderr())
              .download(repo, revision, v);
      if (!quiet) {
        System.err.println(repo + " " + v + " @ " + m.commit() + " is ready:");
      }
      System.out.println(m.folder());
      return ExitCodes.OK;
    } catch (HubException e) {
      System.err.println("download-model: " + e.getMessage());
      return switch (e.kind()) {
        case UNREACHABLE, UNAUTHORIZED, NOT_FOUND, OFFLINE -> ExitCodes.UNAVAILABLE;
        default -> ExitCodes.FAILURE;
      };
    }
  }
}
