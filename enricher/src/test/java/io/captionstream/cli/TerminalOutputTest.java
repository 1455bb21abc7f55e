package io.captionstream.cli;

import io.captionstream.tools.OutcomeReader;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import io.captionstream.image.SamplePictures;
import io.captionstream.observe.LogFormat;
import io.captionstream.observe.TerminalText;
import io.captionstream.schema.CaptionError;
import io.captionstream.schema.CaptionEvent;
import io.captionstream.schema.ErrorCode;
import io.captionstream.schema.SourceRef;
import io.captionstream.synth.SynthModelWriter;
import io.captionstream.synth.SynthSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Issue #9 part 9: captions, ids, prompts and messages from a topic or the model never drive the terminal. */
class TerminalOutputTest {

  /** Clear screen (CSI), set the window title (OSC ... BEL), an 8-bit CSI, a bidi override, a fake new line. */
  static final String HOSTILE = "a\u001b[2J\u001b[31mred\u001b]0;pwned\u0007\u009b6n\u202eevil\r\n[caption] fake";

  @TempDir
  static Path tmp;

  /** No control character at all, except the line feeds the printer itself writes. */
  private static void assertInert(String printed) {
    assertThat(printed.chars().filter(c -> c != '\n' && (c < 0x20 || (c >= 0x7f && c <= 0x9f)
        || (c >= 0x202a && c <= 0x202e)))).as(printed).isEmpty();
  }

  @Test
  void escapeWritesEveryControlCharacterAsAUnicodeEscape() {
    assertThat(TerminalText.escape("x\u001b[1m")).isEqualTo("x\\u001b[1m");
    assertThat(TerminalText.escape("\u001b]8;;http://x\u0007")).isEqualTo("\\u001b]8;;http://x\\u0007");
    assertThat(TerminalText.escape("\u009b\u007f\u202e")).isEqualTo("\\u009b\\u007f\\u202e");
    assertThat(TerminalText.escape("line\r\nnext\t")).isEqualTo("line\\u000d\\u000anext\\u0009");
    assertThat(TerminalText.escapeKeepingLines("at x\n\tat y\u001b")).isEqualTo("at x\n\tat y\\u001b");
    assertThat(TerminalText.escape("plain text, ünïcødé ✓")).isEqualTo("plain text, ünïcødé ✓");
  }

  @Test
  void consumeAndDemoPrintHostileCaptionsIdsAndMessagesInert() {
    CaptionEvent caption = new CaptionEvent("in-0-1", HOSTILE, HOSTILE, HOSTILE, new CaptionEvent.ModelInfo(HOSTILE,
        "fp32"), new CaptionEvent.TokenCounts(1, 1, 1), null, 1.0, HOSTILE, HOSTILE, new SourceRef("in", 0, 1),
        Map.of(), Instant.EPOCH);
    CaptionError error = new CaptionError(HOSTILE, HOSTILE, ErrorCode.INVALID_EVENT, HOSTILE, 1, null, null, null,
        Instant.EPOCH);
    String pretty = OutcomePrinter.pretty(caption) + "\n" + OutcomePrinter.pretty(error);
    assertInert(pretty);
    assertThat(pretty).contains("\\u001b[2J").contains("\\u001b]0;pwned\\u0007").contains("\\u009b6n")
        .contains("\\u202eevil").contains("\\u000d\\u000a[caption] fake");

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    OutcomePrinter json = new OutcomePrinter(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
    byte[] raw = ("{\"caption\":\"" + HOSTILE + "\"}").getBytes(StandardCharsets.UTF_8);
    json.print(new OutcomeReader.Outcome("out", caption, null, null, raw));
    String line = bytes.toString(StandardCharsets.UTF_8);
    assertInert(line);
    assertThat(line).contains("\\u001b[2J");
  }

  @Test
  void captionPrintsHostileFileNamesInert() throws Exception {
    Path model = tmp.resolve("tiny");
    SynthModelWriter.write(SynthSpec.tiny(), model);
    Path good = Files.write(tmp.resolve("ok\u001b[2J\u001b]0;t\u0007.png"), SamplePictures.png(32, 24));
    Path bad = Files.write(tmp.resolve("bad\u001b[31m.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2});
    for (String mode : new String[] {"--json", "--no-split"}) {
      String[] r = EngineCommandsTest.run("caption", "--model-dir", model.toString(), mode, "--max-new-tokens", "3",
          good.toString(), bad.toString());
      assertThat(r[0]).as(r[2]).isEqualTo(String.valueOf(CaptionCommand.EXIT_IMAGE_FAILED));
      assertInert(r[1]);
      assertInert(r[2]);
      assertThat(r[1]).containsIgnoringCase("ok\\u001b[2J\\u001b]0;t\\u0007.png");
      assertThat(r[2]).containsIgnoringCase("bad\\u001b[31m.jpg");
    }
  }

  @Test
  void textLogLinesEscapeControlCharactersInMessagesAndExceptions() {
    LogFormat.use(false);
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
    @SuppressWarnings("unchecked")
    OutputStreamAppender<ILoggingEvent> text = (OutputStreamAppender<ILoggingEvent>) root.getAppender("text");
    LoggingEvent event = new LoggingEvent(getClass().getName(), root, Level.WARN, "fetch of {} failed",
        new IllegalStateException("uri " + HOSTILE), new Object[] {HOSTILE});

    String line = new String(text.getEncoder().encode(event), StandardCharsets.UTF_8);

    assertInert(line.replace("\t", ""));
    assertThat(line).contains("fetch of a\\u001b[2J").contains("uri a\\u001b[2J\\u001b[31mred")
        .contains("at " + TerminalOutputTest.class.getName());
  }
}
