package io.captionstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class QuickBenchModelTest {

  @Test
  void writesTheTinyFolderThroughTheOfferedSynthModelCommand(@TempDir Path dir) {
    QuickBenchModel.write(Main.commandLine(), dir);

    assertThat(dir.resolve("onnx/decoder_model_merged.onnx")).exists();
    assertThat(dir.resolve("tokenizer.json")).exists();
  }

  @Test
  void benchQuickWithoutTheSynthModuleFailsWithExitCode2NamingIt() {
    StringWriter err = new StringWriter();
    // the CLI's own commands only, as on a class path without captionstream-synth
    CommandLine withoutKit = new CommandLine(new Main()).setErr(new PrintWriter(err, true));

    int code = withoutKit.execute("bench", "--quick");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("synth-model").contains("captionstream-synth");
  }
}
