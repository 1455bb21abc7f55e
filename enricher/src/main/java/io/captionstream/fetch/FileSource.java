package io.captionstream.fetch;

import io.captionstream.schema.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads {@code file:} URIs below the policy's root: symlinks are resolved first, then only a regular file is read
 * (a FIFO, socket, device or directory is refused), opened without following links and confirmed afterwards to be
 * the very file that was checked (same file key). The open runs on a small pool of its own and the caller waits at
 * most the read timeout for it, so even a file swapped for a FIFO after the check never blocks a fetch thread; the
 * read has the same deadline and byte limit as HTTP.
 */
final class FileSource {

  private final FetchPolicy policy;
  private final ExecutorService opener;
  private final ScheduledExecutorService watchdog;

  FileSource(FetchPolicy policy, ExecutorService opener, ScheduledExecutorService watchdog) {
    this.policy = policy;
    this.opener = opener;
    this.watchdog = watchdog;
  }

  byte[] read(URI uri) throws FetchException {
    if (policy.fileRoot() == null) {
      throw new FetchException(ErrorCode.FORBIDDEN_ADDRESS, "file: URIs are disabled");
    }
    Path path;
    try {
      path = Path.of(uri).toAbsolutePath().normalize();
    } catch (IllegalArgumentException | FileSystemNotFoundException e) {
      throw new FetchException(ErrorCode.INVALID_EVENT, "bad file: URI: " + e.getMessage(), e);
    }
    long deadline = System.nanoTime() + policy.readTimeout().toNanos();
    try {
      Path real = path.toRealPath();
      if (!real.startsWith(policy.fileRoot().toRealPath())) {
        throw new FetchException(ErrorCode.FORBIDDEN_ADDRESS, "file " + path + " is outside the allowed root");
      }
      BasicFileAttributes checked = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      requireRegular(path, checked);
      if (checked.size() > policy.maxBytes()) {
        throw new FetchException(ErrorCode.TOO_LARGE, "file is " + checked.size() + " bytes, limit "
            + policy.maxBytes());
      }
      try (SeekableByteChannel channel = open(real, deadline)) {
        BasicFileAttributes opened = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        requireRegular(path, opened);
        if (checked.fileKey() == null || !Objects.equals(checked.fileKey(), opened.fileKey())) {
          throw new FetchException(ErrorCode.FORBIDDEN_ADDRESS, "file " + path + " was replaced while it was opened");
        }
        return readLimited(channel, path, deadline);
      }
    } catch (NoSuchFileException e) {
      throw new FetchException(ErrorCode.FETCH_FAILED, "no such file " + path, e);
    } catch (IOException e) {
      throw new FetchException(ErrorCode.FETCH_FAILED, "cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  private static void requireRegular(Path path, BasicFileAttributes a) throws FetchException {
    if (!a.isRegularFile()) {
      String kind = a.isDirectory() ? "a directory" : a.isSymbolicLink() ? "a symbolic link"
          : "a special file (FIFO, socket or device)";
      throw new FetchException(ErrorCode.FORBIDDEN_ADDRESS, "file " + path + " is " + kind + ", not a regular file");
    }
  }

  /** Opens on the opener pool; a channel that opens after the caller gave up is closed at once. */
  private SeekableByteChannel open(Path real, long deadline) throws IOException, FetchException {
    CompletableFuture<SeekableByteChannel> opening = CompletableFuture.supplyAsync(() -> {
      try {
        return Files.newByteChannel(real, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, opener);
    try {
      return opening.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      opening.thenAccept(FileSource::closeQuietly);
      throw new FetchException(ErrorCode.FETCH_TIMEOUT, "file " + real + " did not open within "
          + policy.readTimeout(), e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UncheckedIOException io) {
        throw io.getCause();
      }
      throw new IOException(e.getCause());
    } catch (InterruptedException e) {
      opening.thenAccept(FileSource::closeQuietly);
      Thread.currentThread().interrupt();
      throw new FetchException(ErrorCode.FETCH_TIMEOUT, "opening " + real + " interrupted", e);
    }
  }

  /** Reads at most {@code maxBytes}; the watchdog closes the channel when the deadline passes mid-read. */
  private byte[] readLimited(SeekableByteChannel channel, Path path, long deadline)
      throws IOException, FetchException {
    ScheduledFuture<?> abort = watchdog.schedule(() -> closeQuietly(channel),
        Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
      while (channel.read(buf.clear()) >= 0) {
        out.write(buf.array(), 0, buf.position());
        if (out.size() > policy.maxBytes()) {
          throw new FetchException(ErrorCode.TOO_LARGE, "file " + path + " exceeds " + policy.maxBytes() + " bytes");
        }
      }
      return out.toByteArray();
    } catch (IOException e) {
      if (System.nanoTime() >= deadline) {
        throw new FetchException(ErrorCode.FETCH_TIMEOUT, "file " + path + " not read within "
            + policy.readTimeout(), e);
      }
      throw e;
    } finally {
      abort.cancel(false);
    }
  }

  private static void closeQuietly(SeekableByteChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // best effort: the read fails either way
    }
  }
}
