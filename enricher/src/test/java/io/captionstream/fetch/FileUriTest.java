package io.captionstream.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.captionstream.schema.ErrorCode;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code file:} URIs: only regular files below the root, read under the read timeout and byte limit. */
class FileUriTest {

  private static final byte[] BODY = "pretend-png-bytes".getBytes(StandardCharsets.UTF_8);
  private static final Duration NEVER_BLOCKS = Duration.ofSeconds(5);

  @TempDir
  Path root;
  @TempDir
  Path outside;
  private ImageFetcher files;

  @BeforeEach
  void open() {
    files = new ImageFetcher(FetchPolicy.defaults().withFileRoot(root).withReadTimeout(Duration.ofSeconds(1))
        .withMaxBytes(1024));
  }

  @AfterEach
  void close() {
    files.close();
  }

  private void assertRefused(Path p, ErrorCode code) {
    assertTimeoutPreemptively(NEVER_BLOCKS, () -> assertThatThrownBy(() -> files.fetch(p.toUri().toString()))
        .isInstanceOf(FetchException.class)
        .satisfies(e -> assertThat(((FetchException) e).code()).as(e.getMessage()).isEqualTo(code)));
  }

  @Test
  void aFifoBelowTheRootIsRefusedAtOnceInsteadOfBlockingTheFetchThread() throws Exception {
    Path fifo = mkfifo(root.resolve("pipe.png"));
    try {
      assertRefused(fifo, ErrorCode.FORBIDDEN_ADDRESS);
    } finally {
      unblockReaders(fifo);
    }
  }

  @Test
  void aSymlinkToAFifoIsRefusedAfterResolvingIt() throws Exception {
    Path fifo = mkfifo(root.resolve("pipe"));
    Path link = Files.createSymbolicLink(root.resolve("link.png"), fifo);
    try {
      assertRefused(link, ErrorCode.FORBIDDEN_ADDRESS);
    } finally {
      unblockReaders(fifo);
    }
  }

  @Test
  void aUnixSocketBelowTheRootIsRefused() throws Exception {
    Path socket = root.resolve("sock.png");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socket));
      assertRefused(socket, ErrorCode.FORBIDDEN_ADDRESS);
    }
  }

  @Test
  void aDirectoryIsRefused() throws Exception {
    assertRefused(Files.createDirectory(root.resolve("dir.png")), ErrorCode.FORBIDDEN_ADDRESS);
  }

  @Test
  void aDeviceIsRefusedEvenWhenTheRootHoldsIt() {
    Path dev = Path.of("/dev/null");
    assumeTrue(Files.exists(dev));
    try (ImageFetcher devices = new ImageFetcher(FetchPolicy.defaults().withFileRoot(Path.of("/dev")))) {
      assertTimeoutPreemptively(NEVER_BLOCKS, () -> assertThatThrownBy(() -> devices.fetch(dev.toUri().toString()))
          .isInstanceOf(FetchException.class)
          .satisfies(e -> assertThat(((FetchException) e).code()).isEqualTo(ErrorCode.FORBIDDEN_ADDRESS)));
    }
  }

  @Test
  void aSymlinkToADeviceOrOutOfTheRootIsRefused() throws Exception {
    assertRefused(Files.createSymbolicLink(root.resolve("zero.png"), Path.of("/dev/zero")),
        ErrorCode.FORBIDDEN_ADDRESS);
    Path secret = Files.write(outside.resolve("secret.png"), BODY);
    assertRefused(Files.createSymbolicLink(root.resolve("escape.png"), secret), ErrorCode.FORBIDDEN_ADDRESS);
  }

  @Test
  void aSymlinkToARegularFileInsideTheRootIsRead() throws Exception {
    Path file = Files.write(root.resolve("a.png"), BODY);
    Path link = Files.createSymbolicLink(root.resolve("b.png"), file);
    assertThat(files.fetch(link.toUri().toString())).isEqualTo(BODY);
  }

  @Test
  void aFileOverTheByteLimitIsTooLarge() throws Exception {
    assertRefused(Files.write(root.resolve("big.png"), new byte[2048]), ErrorCode.TOO_LARGE);
  }

  @Test
  void aMissingFileIsFetchFailedAndNotRetried() {
    assertThatThrownBy(() -> files.fetch(root.resolve("nope.png").toUri().toString()))
        .isInstanceOfSatisfying(FetchException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.FETCH_FAILED);
          assertThat(e.attempts()).isEqualTo(1);
        });
  }

  private static Path mkfifo(Path path) throws Exception {
    Process p;
    try {
      p = new ProcessBuilder("mkfifo", path.toString()).redirectErrorStream(true).start();
    } catch (IOException e) {
      assumeTrue(false, "mkfifo is not available: " + e.getMessage());
      throw e;
    }
    assumeTrue(p.waitFor() == 0 && Files.exists(path), "mkfifo failed");
    return path;
  }

  /** Opens the FIFO read-write (never blocks on Linux), which releases a reader stuck opening it. */
  private static void unblockReaders(Path fifo) throws Exception {
    try (RandomAccessFile unblock = new RandomAccessFile(fifo.toFile(), "rw")) {
      unblock.getFD();
    }
  }
}
