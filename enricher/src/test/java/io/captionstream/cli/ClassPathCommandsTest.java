package io.captionstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassPathCommandsTest {

  @Test
  void theShippedClassPathOffersSynthModelBeforeHelp() {
    assertThat(Main.commandLine().getSubcommands().keySet()).containsSubsequence("topology", "synth-model", "help");
  }

  @Test
  void listedClassesAreLoadedOnceEachIgnoringCommentsAndBlankLines(@TempDir Path a, @TempDir Path b)
      throws IOException {
    list(a, "# commands of module a\n\n" + TopologyCommand.class.getName() + "  # trailing comment\n");
    list(b, TopologyCommand.class.getName() + "\n" + BenchCommand.class.getName() + "\n");

    try (URLClassLoader loader = loader(a, b)) {
      assertThat(ClassPathCommands.load(loader)).containsExactly(TopologyCommand.class, BenchCommand.class);
    }
  }

  @Test
  void noListOnTheClassPathMeansNoExtraCommand(@TempDir Path empty) throws IOException {
    try (URLClassLoader loader = loader(empty)) {
      assertThat(ClassPathCommands.load(loader)).isEmpty();
    }
  }

  @Test
  void aListedClassThatIsMissingIsAnErrorNamingIt(@TempDir Path a) throws IOException {
    list(a, "io.captionstream.nowhere.GoneCommand\n");

    try (URLClassLoader loader = loader(a)) {
      assertThatThrownBy(() -> ClassPathCommands.load(loader)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("io.captionstream.nowhere.GoneCommand");
    }
  }

  private static void list(Path root, String text) throws IOException {
    Path file = root.resolve(ClassPathCommands.RESOURCE);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  /** Sees only the given folders' resources, but loads classes through the test's own class loader. */
  private static URLClassLoader loader(Path... roots) throws IOException {
    URL[] urls = new URL[roots.length];
    for (int i = 0; i < roots.length; i++) {
      urls[i] = roots[i].toUri().toURL();
    }
    return new URLClassLoader(urls, ClassLoader.getPlatformClassLoader()) {
      @Override
      protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        return name.startsWith("io.captionstream.") ? Class.forName(name, resolve, getClass().getClassLoader())
            : super.loadClass(name, resolve);
      }
    };
  }
}
