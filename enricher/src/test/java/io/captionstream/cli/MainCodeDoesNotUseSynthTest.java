package io.captionstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The engine and the service never use the synthetic model kit: it is a runtime dependency (tests and the fat jar's
 * {@code synth-model}, found through {@code META-INF/captionstream/commands}), not part of the product's code.
 */
class MainCodeDoesNotUseSynthTest {

  static final Path MAIN_SOURCES = Path.of("src/main/java");

  @Test
  void noMainSourceOfTheEnricherNamesTheSynthPackage() throws IOException {
    assertThat(MAIN_SOURCES.resolve("io/captionstream/cli/Main.java")).exists();
    List<String> offenders;
    try (Stream<Path> files = Files.walk(MAIN_SOURCES)) {
      offenders = files.filter(f -> f.toString().endsWith(".java")).filter(MainCodeDoesNotUseSynthTest::namesSynth)
          .map(Path::toString).toList();
    }

    assertThat(offenders).as("main sources that use io.captionstream.synth").isEmpty();
  }

  @Test
  void theSynthPackageIsNotInTheEnrichersOwnSources() {
    assertThat(MAIN_SOURCES.resolve("io/captionstream/synth")).doesNotExist();
  }

  private static boolean namesSynth(Path file) {
    try {
      return Files.readString(file).contains("io.captionstream.synth");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
