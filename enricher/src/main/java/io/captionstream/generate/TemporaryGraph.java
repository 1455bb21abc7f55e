package io.captionstream.generate;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A rewritten copy of a graph on disk, deleted once ONNX Runtime has loaded it: a temporary file, or (with
 * {@code ownFolder}) a temporary folder holding the graph and copies of its external data files.
 */
record TemporaryGraph(Path file, boolean ownFolder) {

  /** Creates the session of the copy, then deletes the copy. */
  OrtSession load(OrtEnvironment env, OrtSession.SessionOptions options) throws OrtException {
    try {
      return env.createSession(file.toString(), options);
    } finally {
      delete();
    }
  }

  /** Deletes the file, or the folder with everything in it. */
  void delete() {
    try {
      if (!ownFolder) {
        Files.deleteIfExists(file);
        return;
      }
      try (Stream<Path> all = Files.list(file.getParent())) {
        for (Path p : all.toList()) {
          Files.deleteIfExists(p);
        }
      }
      Files.deleteIfExists(file.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
