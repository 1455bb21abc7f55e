package io.captionstream.hub;

import io.captionstream.model.OnnxVariant;
import io.captionstream.model.VariantSelection;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Downloads the files one {@link OnnxVariant} needs from a hub repository into the standard hub cache, so Python
 * tools and later runs find them. Interrupted downloads resume from {@code blobs/{etag}.incomplete} with an HTTP
 * range request; every finished file is checked against its etag (sha256 for LFS files, git blob sha1 for the rest)
 * before it becomes a blob.
 */
public final class ModelDownloader {

  private static final int ATTEMPTS = 4;

  private final HubSettings settings;
  private final HubCache cache;
  private final DownloadProgress progress;

  public ModelDownloader(HubSettings settings, DownloadProgress progress) {
    this.settings = settings;
    this.cache = new HubCache(settings.hubCache());
    this.progress = progress;
  }

  /** A model in the cache: its snapshot folder holds every file the variant needs. */
  public record CachedModel(String repo, String revision, String commit, VariantSelection variant, Path folder) {}

  /** Downloads what is missing and returns the snapshot folder; files already in the cache are not fetched again. */
  public CachedModel download(String repo, String revision, OnnxVariant variant) {
    return download(repo, revision, VariantSelection.all(variant));
  }

  /** Like {@link #download(String, String, OnnxVariant)}, each graph in its own variant ({@code q4,vision=fp32}). */
  public CachedModel download(String repo, String revision, VariantSelection variant) {
    if (settings.offline()) {
      return cache.completeSnapshot(repo, revision, VariantFiles.requiredFiles(variant))
          .map(dir -> new CachedModel(repo, revision, dir.getFileName().toString(), variant, dir))
          .orElseThrow(() -> new HubException(HubException.Kind.OFFLINE,
              "HF_HUB_OFFLINE is set and " + repo + " (" + revision + ", " + variant
                  + ") is not in the hub cache " + settings.hubCache()
                  + "; pass --model-dir DIR or unset HF_HUB_OFFLINE"));
    }
    HubClient client = new HubClient(settings);
    String commit = null;
    for (VariantFiles.RepoFile file : VariantFiles.files(variant)) {
      Optional<FileMetadata> meta = client.head(repo, revision, file.path());
      if (meta.isEmpty()) {
        if (file.required()) {
          throw new HubException(HubException.Kind.NOT_FOUND,
              "the hub has no file " + file.path() + " in " + repo + " at revision " + revision
                  + (variant.equals(VariantSelection.defaults()) ? "" : " (variant " + variant + ")")
                  + "; check --model-repo, --model-revision and --variant");
        }
        if (commit != null) {
          markMissing(repo, commit, file.path());
        }
        continue;
      }
      FileMetadata m = meta.get();
      commit = commit == null ? m.commit() : commit;
      fetchBlob(client, repo, file.path(), m);
      try {
        cache.link(repo, commit, file.path(), m.etag());
      } catch (IOException e) {
        throw new HubException(HubException.Kind.IO,
            "cannot write the snapshot of " + file.path() + ": " + e.getMessage(), e);
      }
    }
    try {
      cache.writeRef(repo, revision, commit);
    } catch (IOException e) {
      throw new HubException(HubException.Kind.IO, "cannot write refs/" + revision + ": " + e.getMessage(), e);
    }
    return new CachedModel(repo, revision, commit, variant, cache.snapshot(repo, commit));
  }

  private void markMissing(String repo, String commit, String file) {
    try {
      cache.markMissing(repo, commit, file);
    } catch (IOException ignored) {
      // only an optimisation for later look-ups
    }
  }

  private void fetchBlob(HubClient client, String repo, String file, FileMetadata m) {
    Path blob = cache.blob(repo, m.etag());
    if (Files.isRegularFile(blob)) {
      progress.done(file, true);
      return;
    }
    Path part = cache.incomplete(repo, m.etag());
    try {
      Files.createDirectories(part.getParent());
      long have = Files.exists(part) ? Files.size(part) : 0;
      progress.start(file, m.size(), have);
      IOException last = null;
      for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
        try {
          transfer(client, repo, file, m, part);
          last = null;
          break;
        } catch (IOException e) {
          last = e; // connection cut: the next attempt asks for the rest with a Range header
        }
      }
      if (last != null) {
        throw new HubException(HubException.Kind.IO,
            "download of " + repo + "/" + file + " kept failing (" + last.getMessage()
                + "); run the command again to resume", last);
      }
      verify(repo, file, m, part);
      Files.move(part, blob, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      progress.done(file, false);
    } catch (IOException e) {
      throw new HubException(HubException.Kind.IO, "cannot write " + part + ": " + e.getMessage(), e);
    }
  }

  private void transfer(HubClient client, String repo, String file, FileMetadata m, Path part) throws IOException {
    long offset = Files.exists(part) ? Files.size(part) : 0;
    if (m.size() >= 0 && offset > m.size()) {
      Files.delete(part);
      offset = 0;
    }
    HttpResponse<InputStream> r = client.get(m.location(), offset, repo, file);
    try (InputStream in = r.body()) {
      boolean append;
      if (r.statusCode() == 416) {
        if (m.size() >= 0 && offset == m.size()) {
          return; // nothing left to fetch
        }
        Files.deleteIfExists(part);
        throw new IOException("server refused the range from byte " + offset);
      } else if (r.statusCode() == 206) {
        append = true;
      } else {
        append = false; // server ignored the range: start over
        offset = 0;
      }
      try (OutputStream out =
          Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
              append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
        byte[] buf = new byte[1 << 16];
        long have = offset;
        for (int n; (n = in.read(buf)) >= 0; ) {
          out.write(buf, 0, n);
          have += n;
          progress.advance(file, have);
        }
      }
    }
    if (m.size() >= 0 && Files.size(part) < m.size()) {
      throw new IOException("connection closed after " + Files.size(part) + " of " + m.size() + " bytes");
    }
  }

  private static void verify(String repo, String file, FileMetadata m, Path part) throws IOException {
    long size = Files.size(part);
    String problem = null;
    if (m.size() >= 0 && size != m.size()) {
      problem = "size " + size + " != expected " + m.size();
    } else if (m.isSha256()) {
      String sha = digest(part, "SHA-256", null);
      problem = sha.equals(m.etag()) ? null : "sha256 " + sha + " != expected " + m.etag();
    } else if (m.isGitSha1()) {
      String sha = digest(part, "SHA-1", ("blob " + size + "\0").getBytes(StandardCharsets.US_ASCII));
      problem = sha.equals(m.etag()) ? null : "git blob sha1 " + sha + " != expected " + m.etag();
    }
    if (problem != null) {
      Files.deleteIfExists(part);
      throw new HubException(HubException.Kind.INTEGRITY,
          "integrity check failed for " + repo + "/" + file + ": " + problem
              + "; the partial file was deleted, run again");
    }
  }

  static String digest(Path file, String algorithm, byte[] prefix) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    if (prefix != null) {
      md.update(prefix);
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) >= 0; ) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
