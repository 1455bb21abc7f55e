package io.captionstream.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelDigestTest {

  @TempDir Path tmp;

  private Path folder(String name) throws IOException {
    return TestModelFolders.writeFolder(tmp.resolve(name), 1000, OnnxVariant.FP32);
  }

  @Test
  void twoCopiesOfOneFolderAgreeWhateverTheirModificationTimes() throws IOException {
    Path a = folder("a");
    Path b = tmp.resolve("b");
    copy(a, b);
    try (Stream<Path> files = Files.walk(b)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Files.setLastModifiedTime(f, FileTime.fromMillis(1_000));
      }
    }
    assertThat(ModelDigest.of(ModelFolder.load(b))).isEqualTo(ModelDigest.of(ModelFolder.load(a)));
  }

  @Test
  void changingAConfigOrAGraphChangesTheDigest() throws IOException {
    ModelFolder loaded = ModelFolder.load(folder("a"));
    String before = ModelDigest.of(loaded);
    Path config = loaded.dir().resolve("generation_config.json");
    Files.writeString(config, Files.readString(config).replace("}", ", \"x\": 1}"));
    String afterConfig = ModelDigest.of(loaded);
    Files.write(loaded.graphs().decoder().onnx(), new byte[] {0}, StandardOpenOption.APPEND);

    assertThat(afterConfig).isNotEqualTo(before);
    assertThat(ModelDigest.of(loaded)).isNotEqualTo(afterConfig);
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
