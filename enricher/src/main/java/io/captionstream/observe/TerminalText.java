package io.captionstream.observe;

/**
 * Text from a topic or the model, made safe to print on a terminal: it is data, never control. Every C0 control
 * character, DEL, every C1 control (U+0080..U+009F, which includes the 8-bit CSI) and the bidirectional overrides
 * are written as Java/JSON {@code \\uXXXX} escapes (ESC becomes the six characters backslash, u, 0, 0, 1, b), so a
 * caption, id or message can neither move the cursor, recolour, retitle the window (OSC) nor reorder the line.
 * The escapes are valid inside a JSON string, so JSON lines stay valid JSON.
 */
public final class TerminalText {

  private TerminalText() {}

  /** {@code text} with every control character escaped (line breaks and tabs included). */
  public static String escape(String text) {
    return escape(text, false);
  }

  /** Like {@link #escape(String)} but keeps line feeds and tabs: for multi-line text such as stack traces. */
  public static String escapeKeepingLines(String text) {
    return escape(text, true);
  }

  private static String escape(String text, boolean keepLines) {
    if (text == null) {
      return null;
    }
    int i = 0;
    while (i < text.length() && !isControl(text.charAt(i), keepLines)) {
      i++;
    }
    if (i == text.length()) {
      return text;
    }
    StringBuilder b = new StringBuilder(text.length() + 16).append(text, 0, i);
    for (; i < text.length(); i++) {
      char c = text.charAt(i);
      if (isControl(c, keepLines)) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  private static boolean isControl(char c, boolean keepLines) {
    if (keepLines && (c == '\n' || c == '\t')) {
      return false;
    }
    return c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= '\u202a' && c <= '\u202e')
        || (c >= '\u2066' && c <= '\u2069');
  }
}
