package io.captionstream.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The picocli command classes that jars on the class path contribute to the CLI: every resource
 * {@value #RESOURCE} names one class per line ({@code #} starts a comment). A module that is not on the class path
 * contributes nothing, so its command is simply not offered; a listed class that cannot be loaded is an error.
 */
final class ClassPathCommands {

  static final String RESOURCE = "META-INF/captionstream/commands";

  private ClassPathCommands() {}

  /** The listed classes in class-path order, each once. */
  static List<Class<?>> load(ClassLoader loader) {
    Set<String> names = new LinkedHashSet<>();
    try {
      for (URL url : Collections.list(loader.getResources(RESOURCE))) {
        names.addAll(classNames(url));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
    List<Class<?>> classes = new ArrayList<>();
    for (String name : names) {
      try {
        classes.add(Class.forName(name, false, loader));
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException(RESOURCE + " names " + name + ", which is not on the class path", e);
      }
    }
    return classes;
  }

  private static List<String> classNames(URL url) throws IOException {
    List<String> names = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(url.openStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        String name = line.replaceFirst("#.*", "").strip();
        if (!name.isEmpty()) {
          names.add(name);
        }
      }
    }
    return names;
  }
}
