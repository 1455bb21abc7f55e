package io.captionstream.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * The tiny synthetic model of {@code bench --quick}, written by the {@code synth-model} command that the synth module
 * adds to the CLI (see {@link Main}), so that the enricher's code never compiles against the kit.
 */
final class QuickBenchModel {

  private QuickBenchModel() {}

  /** Writes the {@code tiny} preset into {@code dir} with the {@code synth-model} command of {@code root}. */
  static void write(CommandLine root, Path dir) {
    CommandLine offered = root.getSubcommands().get("synth-model");
    if (offered == null) {
      throw new CommandLine.ParameterException(root,
          "bench --quick needs the synth-model command (module captionstream-synth on the class path)");
    }
    StringWriter errors = new StringWriter();
    CommandLine synth = new CommandLine(offered.getCommandSpec().userObject().getClass())
        .setOut(new PrintWriter(Writer.nullWriter())).setErr(new PrintWriter(errors, true));
    int code = synth.execute("--preset", "tiny", "--out", dir.toString());
    if (code != 0) {
      throw new IllegalStateException("synth-model exited with " + code + ": " + errors.toString().strip());
    }
  }
}
