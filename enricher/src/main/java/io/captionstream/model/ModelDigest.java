package io.captionstream.model;

import static io.captionstream.model.FieldDigest.field;
import static io.captionstream.model.FieldDigest.sha256;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * A cheap, copy-stable SHA-256 fingerprint of what a loaded model computes with: every regular file at the top of
 * the folder (configs, tokenizer, chat template), hashed whole when small, and the selected graph files with their
 * external data, hashed by name, size, first and last {@value #SAMPLE_BYTES} bytes. Names, sizes and sampled bytes
 * (not modification times) so two copies of one model folder on two hosts agree; a few MB are read, never the whole
 * weights. The hub revision, when known, is mixed in. Two folders whose weights differ only inside an unsampled
 * middle of an equally sized file would collide: re-quantising or re-exporting a graph changes its size or its
 * header, and {@code drop the cache topic} is the documented remedy for anything subtler.
 */
public final class ModelDigest {

  static final int SAMPLE_BYTES = 1 << 20;
  private static final long WHOLE_LIMIT = 16L << 20;

  private ModelDigest() {}

  /** The hex fingerprint of {@code folder} with its selected graphs. */
  public static String of(ModelFolder folder) {
    MessageDigest sha = sha256();
    field(sha, "revision:" + folder.revision().orElse(""));
    for (Path f : topLevelFiles(folder.dir())) {
      hashFile(sha, folder.dir(), f);
    }
    GraphFiles g = folder.graphs();
    for (GraphFile graph : List.of(g.visionEncoder(), g.embedTokens(), g.decoder())) {
      hashFile(sha, folder.dir(), graph.onnx());
      for (Path data : graph.externalData()) {
        hashFile(sha, folder.dir(), data);
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static List<Path> topLevelFiles(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return new ArrayList<>(s.filter(Files::isRegularFile).sorted().toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void hashFile(MessageDigest sha, Path root, Path file) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      field(sha, "file:" + root.relativize(file.toAbsolutePath().normalize()) + ":" + size);
      if (size <= WHOLE_LIMIT) {
        read(sha, ch, 0, size);
      } else {
        read(sha, ch, 0, SAMPLE_BYTES);
        read(sha, ch, size - SAMPLE_BYTES, SAMPLE_BYTES);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot fingerprint " + file, e);
    }
  }

  private static void read(MessageDigest sha, FileChannel ch, long from, long length) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
    long pos = from;
    long end = from + length;
    while (pos < end) {
      buf.clear().limit((int) Math.min(buf.capacity(), end - pos));
      int n = ch.read(buf, pos);
      if (n < 0) {
        break;
      }
      buf.flip();
      sha.update(buf);
      pos += n;
    }
  }
}
