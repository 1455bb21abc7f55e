package io.captionstream.pipeline;

/** Cuts text echoed into outcomes to a bound, visibly: a truncated value ends in a marker with its full length. */
final class BoundedText {

  private BoundedText() {}

  /** {@code text} itself when it has at most {@code maxChars} chars, else its head and a marker. */
  static String truncate(String text, int maxChars) {
    if (text == null || text.length() <= maxChars) {
      return text;
    }
    int end = maxChars;
    if (Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end) + "...[truncated, " + text.length() + " chars]";
  }

  /**
   * The longest head of {@code text} whose JSON string form (as Jackson writes it: control characters as
   * six-char escapes, two for the short escapes, quote and backslash; other characters as UTF-8) has at most
   * {@code maxBytes} bytes.
   */
  static String headWithinJsonBytes(String text, int maxBytes) {
    long size = 0;
    int i = 0;
    while (i < text.length()) {
      int cp = text.codePointAt(i);
      size += jsonBytes(cp);
      if (size > maxBytes) {
        return text.substring(0, i);
      }
      i += Character.charCount(cp);
    }
    return text;
  }

  /** Bytes of one code point inside a JSON string. */
  static int jsonBytes(int cp) {
    if (cp == '"' || cp == '\\' || cp == '\n' || cp == '\r' || cp == '\t' || cp == '\b' || cp == '\f') {
      return 2;
    }
    if (cp < 0x20) {
      return 6;
    }
    if (cp < 0x80) {
      return 1;
    }
    return cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
}
