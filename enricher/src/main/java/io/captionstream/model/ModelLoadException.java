package io.captionstream.model;

import java.nio.file.Path;

/**
 * A model folder cannot be used: a file is missing or unreadable, or a required field is absent or invalid. The
 * message names the file and (where one is at fault) the field, e.g. {@code config.json: missing field
 * text_config.num_key_value_heads}.
 */
public class ModelLoadException extends RuntimeException {

  private final transient Path file;
  private final String field;

  public ModelLoadException(Path file, String field, String problem) {
    super(describe(file, field, problem));
    this.file = file;
    this.field = field;
  }

  public ModelLoadException(Path file, String field, String problem, Throwable cause) {
    super(describe(file, field, problem), cause);
    this.file = file;
    this.field = field;
  }

  private static String describe(Path file, String field, String problem) {
    return file + ": " + problem + (field == null ? "" : " (field " + field + ")");
  }

  /** The file at fault. */
  public Path file() {
    return file;
  }

  /** The dotted JSON path of the field at fault, or {@code null} when the whole file is. */
  public String field() {
    return field;
  }
}
