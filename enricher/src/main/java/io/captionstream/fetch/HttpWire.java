package io.captionstream.fetch;

import io.captionstream.schema.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads an HTTP/1.1 response from a stream: the status line and headers, then a body framed by
 * {@code Transfer-Encoding: chunked}, {@code Content-Length} or the end of the connection, never more than the
 * byte limit.
 */
final class HttpWire {

  private static final int MAX_LINE = 8 * 1024;
  private static final int MAX_HEAD = 64 * 1024;

  /** Status line and headers of one response. */
  record Head(int status, Map<String, String> headers) {}

  private HttpWire() {}

  /** Reads the next final response head, skipping 1xx interim responses. */
  static Head readHead(InputStream in) throws IOException, FetchException {
    while (true) {
      Head head = readOneHead(in);
      if (head.status() >= 200 || head.status() == 101) {
        return head;
      }
    }
  }

  private static Head readOneHead(InputStream in) throws IOException, FetchException {
    String statusLine = readLine(in);
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("[1-5][0-9][0-9]")) {
      throw new FetchException(ErrorCode.FETCH_FAILED, "not an HTTP/1.x status line: " + abbreviate(statusLine));
    }
    Map<String, String> headers = new HashMap<>();
    int total = statusLine.length();
    for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
      total += line.length();
      if (total > MAX_HEAD) {
        throw new FetchException(ErrorCode.FETCH_FAILED, "response headers exceed " + MAX_HEAD + " bytes");
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new FetchException(ErrorCode.FETCH_FAILED, "malformed response header: " + abbreviate(line));
      }
      headers.putIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
    }
    return new Head(Integer.parseInt(parts[1]), headers);
  }

  /** Reads the body of {@code head}; {@code TOO_LARGE} beyond {@code maxBytes}. */
  static byte[] readBody(Head head, InputStream in, long maxBytes) throws IOException, FetchException {
    String encoding = head.headers().getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT);
    if (encoding.endsWith("chunked")) {
      return readChunked(in, maxBytes);
    }
    String length = head.headers().get("content-length");
    if (length == null) {
      return readUpTo(in, -1, maxBytes); // ends with the connection
    }
    long declared;
    try {
      declared = Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      declared = -1;
    }
    if (declared < 0) {
      throw new FetchException(ErrorCode.FETCH_FAILED, "bad Content-Length '" + abbreviate(length) + "'");
    }
    if (declared > maxBytes) {
      throw new FetchException(ErrorCode.TOO_LARGE, "Content-Length " + declared + " exceeds " + maxBytes);
    }
    return readUpTo(in, declared, maxBytes);
  }

  /** Exactly {@code count} bytes, or all until the end of the stream when {@code count < 0}. */
  private static byte[] readUpTo(InputStream in, long count, long maxBytes) throws IOException, FetchException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    copy(in, out, count, maxBytes);
    return out.toByteArray();
  }

  private static void copy(InputStream in, ByteArrayOutputStream out, long count, long maxBytes)
      throws IOException, FetchException {
    byte[] buf = new byte[16 * 1024];
    long left = count;
    while (count < 0 || left > 0) {
      int n = in.read(buf, 0, count < 0 ? buf.length : (int) Math.min(buf.length, left));
      if (n < 0) {
        if (count < 0) {
          return;
        }
        throw new EOFException("body ended " + left + " bytes early");
      }
      out.write(buf, 0, n);
      left -= n;
      if (out.size() > maxBytes) {
        throw new FetchException(ErrorCode.TOO_LARGE, "body exceeds " + maxBytes + " bytes");
      }
    }
  }

  private static byte[] readChunked(InputStream in, long maxBytes) throws IOException, FetchException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (true) {
      String line = readLine(in);
      int semicolon = line.indexOf(';');
      String hex = (semicolon < 0 ? line : line.substring(0, semicolon)).trim();
      if (hex.isEmpty() || hex.length() > 15 || !hex.matches("[0-9A-Fa-f]+")) {
        throw new FetchException(ErrorCode.FETCH_FAILED, "bad chunk size '" + abbreviate(line) + "'");
      }
      long size = Long.parseLong(hex, 16);
      if (size == 0) {
        while (!readLine(in).isEmpty()) {
          // trailers are not used
        }
        return out.toByteArray();
      }
      if (out.size() + size > maxBytes) {
        throw new FetchException(ErrorCode.TOO_LARGE, "chunked body exceeds " + maxBytes + " bytes");
      }
      copy(in, out, size, maxBytes);
      if (!readLine(in).isEmpty()) {
        throw new FetchException(ErrorCode.FETCH_FAILED, "chunk not followed by CRLF");
      }
    }
  }

  /** A line ended by LF (a CR before it is dropped), at most {@link #MAX_LINE} bytes. */
  private static String readLine(InputStream in) throws IOException, FetchException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != '\n') {
      if (b < 0) {
        throw new EOFException("connection closed inside the response head");
      }
      if (line.size() >= MAX_LINE) {
        throw new FetchException(ErrorCode.FETCH_FAILED, "response line longer than " + MAX_LINE + " bytes");
      }
      line.write(b);
    }
    String s = line.toString(StandardCharsets.ISO_8859_1);
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }

  private static String abbreviate(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }
}
