package io.captionstream.hub;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The standard Hugging Face hub cache, shared with Python tools:
 *
 * <pre>
 * {cache}/models--{org}--{name}/blobs/{etag}            file contents, named by their etag (sha256 for LFS files)
 * {cache}/models--{org}--{name}/snapshots/{commit}/{f}  relative symlinks into blobs/
 * {cache}/models--{org}--{name}/refs/{revision}         the commit a branch or tag pointed at
 * {cache}/models--{org}--{name}/.no_exist/{commit}/{f}  files the hub answered 404 for
 * </pre>
 */
public final class HubCache {

  private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

  private final Path root;

  public HubCache(Path root) {
    this.root = root;
  }

  public Path root() {
    return root;
  }

  /** {@code models--org--name}. */
  public Path repoFolder(String repo) {
    return root.resolve("models--" + repo.replace("/", "--"));
  }

  public Path blob(String repo, String etag) {
    return repoFolder(repo).resolve("blobs").resolve(etag);
  }

  public Path incomplete(String repo, String etag) {
    return repoFolder(repo).resolve("blobs").resolve(etag + ".incomplete");
  }

  public Path snapshot(String repo, String commit) {
    return repoFolder(repo).resolve("snapshots").resolve(commit);
  }

  public Path ref(String repo, String revision) {
    return repoFolder(repo).resolve("refs").resolve(revision);
  }

  /** The commit a revision resolves to locally: the revision itself when it is a commit hash, else its ref file. */
  public Optional<String> commitOf(String repo, String revision) {
    if (COMMIT.matcher(revision).matches()) {
      return Optional.of(revision);
    }
    Path ref = ref(repo, revision);
    try {
      return Files.isRegularFile(ref) ? Optional.of(Files.readString(ref,
          StandardCharsets.UTF_8).trim()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The snapshot folder of {@code revision} when every one of {@code requiredFiles} is in it. */
  public Optional<Path> completeSnapshot(String repo, String revision, List<String> requiredFiles) {
    return commitOf(repo, revision)
        .map(commit -> snapshot(repo, commit))
        .filter(dir -> requiredFiles.stream().allMatch(f -> Files.isRegularFile(dir.resolve(f))));
  }

  /** Records that {@code revision} points at {@code commit} (no ref is written for a commit hash). */
  public void writeRef(String repo, String revision, String commit) throws IOException {
    if (revision.equals(commit)) {
      return;
    }
    Path ref = ref(repo, revision);
    Files.createDirectories(ref.getParent());
    Path tmp = ref.resolveSibling(ref.getFileName() + ".tmp");
    Files.writeString(tmp, commit, StandardCharsets.UTF_8);
    Files.move(tmp, ref, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Points {@code snapshots/{commit}/{file}} at {@code blobs/{etag}} with a relative symlink (a copy where links
   * fail). */
  public Path link(String repo, String commit, String file, String etag) throws IOException {
    Path target = snapshot(repo, commit).resolve(file);
    Files.createDirectories(target.getParent());
    Path blob = blob(repo, etag);
    Path relative = target.getParent().relativize(blob);
    Files.deleteIfExists(target);
    try {
      Files.createSymbolicLink(target, relative);
    } catch (UnsupportedOperationException | IOException e) {
      Files.copy(blob, target, StandardCopyOption.REPLACE_EXISTING);
    }
    return target;
  }

  /** Remembers that the hub has no such file at this commit, as {@code huggingface_hub} does. */
  public void markMissing(String repo, String commit, String file) throws IOException {
    Path marker = repoFolder(repo).resolve(".no_exist").resolve(commit).resolve(file);
    Files.createDirectories(marker.getParent());
    if (!Files.exists(marker)) {
      Files.createFile(marker);
    }
  }

  public boolean isMarkedMissing(String repo, String commit, String file) {
    return Files.exists(repoFolder(repo).resolve(".no_exist").resolve(commit).resolve(file));
  }
}
