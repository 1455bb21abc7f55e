package io.captionstream.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The README's configuration table, generated from {@link ConfigKeys}. {@code ConfigurationTableTest} fails when the
 * README's table differs and prints this one; {@code main} rewrites the README's table in place.
 */
public final class ConfigurationTable {

  public static final String HEADER = "| key (file) | environment | flag | default | meaning |";

  private ConfigurationTable() {}

  /** The table, header included, one documented setting per row. */
  public static String markdown() {
    return HEADER + "\n|---|---|---|---|---|\n" + ConfigKeys.DOCUMENTED.stream().map(ConfigurationTable::row)
        .collect(Collectors.joining("\n")) + "\n";
  }

  static String row(Setting<?> s) {
    String def = s.defaultText() == null ? "" : "`" + s.defaultText() + "`";
    return "| `" + s.key() + "` | `" + s.env() + "` | `" + s.flag() + "` | " + def + " | " + s.doc() + " |";
  }

  /** The table as it stands in {@code readme}: from {@link #HEADER} to the first line that is not a table row. */
  public static String inReadme(String readme) {
    int start = readme.indexOf(HEADER);
    if (start < 0) {
      return "";
    }
    List<String> lines = readme.substring(start).lines().takeWhile(l -> l.startsWith("|")).toList();
    return String.join("\n", lines) + "\n";
  }

  /** Rewrites the README's table: {@code java ... ConfigurationTable ../README.md}. */
  public static void main(String[] args) throws IOException {
    Path readme = Path.of(args.length > 0 ? args[0] : "../README.md");
    String text = Files.readString(readme);
    String old = inReadme(text);
    if (old.isEmpty()) {
      throw new IllegalStateException("no configuration table (" + HEADER + ") in " + readme);
    }
    Files.writeString(readme, text.replace(old, markdown()));
  }
}
