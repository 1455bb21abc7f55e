package io.captionstream.pipeline;

import java.util.Objects;

/** The three topics of the data path; the one place their names live. */
public record Topics(String input, String output, String errors) {

  public static final String DEFAULT_INPUT = "images";
  public static final String DEFAULT_OUTPUT = "captions";
  public static final String DEFAULT_ERRORS = "caption-errors";

  public Topics {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(errors, "errors");
    if (input.equals(output) || input.equals(errors) || output.equals(errors)) {
      throw new IllegalArgumentException("input, output and error topics must differ: " + input + ", " + output
          + ", " + errors);
    }
  }

  public static Topics defaults() {
    return new Topics(DEFAULT_INPUT, DEFAULT_OUTPUT, DEFAULT_ERRORS);
  }
}
