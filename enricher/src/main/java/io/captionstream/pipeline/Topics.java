package io.captionstream.pipeline;

import java.util.Objects;

/** The three topics of the data path; their default names are settings ({@code topic.*} in ConfigKeys). */
public record Topics(String input, String output, String errors) {

  public Topics {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(errors, "errors");
    if (input.equals(output) || input.equals(errors) || output.equals(errors)) {
      throw new IllegalArgumentException("input, output and error topics must differ: " + input + ", " + output
          + ", " + errors);
    }
  }
}
