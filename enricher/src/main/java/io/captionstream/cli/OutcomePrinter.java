package io.captionstream.cli;

import static io.captionstream.observe.TerminalText.escape;

import io.captionstream.schema.CaptionError;
import io.captionstream.schema.CaptionEvent;
import io.captionstream.tools.OutcomeReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Prints outcomes for people (caption plus per-stage timings) or as JSON lines (the record values as they are).
 * Everything that comes from the topic or the model is escaped ({@link io.captionstream.observe.TerminalText}): a
 * record cannot drive the reader's terminal.
 */
final class OutcomePrinter {

  private final PrintStream out;
  private final boolean json;

  OutcomePrinter(PrintStream out, boolean json) {
    this.out = out;
    this.json = json;
  }

  void print(OutcomeReader.Outcome o) {
    if (o.unreadable() != null) {
      System.err.println("[unreadable] " + escape(o.unreadable()));
      return;
    }
    if (json) {
      out.println(escape(new String(o.raw(), StandardCharsets.UTF_8)));
    } else if (o.caption() != null) {
      out.println(pretty(o.caption()));
    } else {
      out.println(pretty(o.error()));
    }
    out.flush();
  }

  static String pretty(CaptionEvent e) {
    StringBuilder b = new StringBuilder();
    b.append("[caption] ").append(escape(e.imageId())).append(": ").append(escape(e.caption())).append('\n');
    if (e.cache() != null && e.cache().hit()) {
      b.append(String.format(Locale.ROOT,
          "          from the cache: computed as %s at %s (%.0f ms of model time saved)",
          escape(e.cache().eventId()), e.cache().createdAt(), e.cache().savedMs())).append('\n');
    }
    CaptionEvent.StageTimings t = e.timingsMs();
    if (t != null) {
      b.append(String.format(Locale.ROOT,
          "          %.0f ms total = queue %.0f | fetch %.0f | decode %.0f | preprocess %.0f | vision %.0f | "
              + "prefill %.0f"
              + " | first token %.0f | generation %.0f",
          t.total(), t.queue(), t.fetch(), t.decode(), t.preprocess(), t.vision(), t.prefill(), t.firstToken(),
          t.generation()));
      b.append('\n');
    }
    b.append("          ");
    if (e.tokens() != null) {
      b.append(String.format(Locale.ROOT, "%d tokens generated (%.1f tok/s), prompt %d (image %d)",
          e.tokens().generated(), e.tokensPerSecond(), e.tokens().prompt(), e.tokens().image()));
    }
    if (e.model() != null) {
      b.append(" | ").append(escape(e.model().id())).append(' ').append(escape(e.model().variant()));
    }
    b.append(" | ").append(escape(e.worker())).append('@').append(escape(e.instance()));
    return b.toString();
  }

  static String pretty(CaptionError e) {
    return "[error]   " + escape(e.imageId()) + ": " + e.code() + " " + escape(e.message()) + " ("
        + escape(e.eventId()) + ")";
  }
}
