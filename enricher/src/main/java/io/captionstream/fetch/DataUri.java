package io.captionstream.fetch;

import io.captionstream.schema.ErrorCode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Decodes RFC 2397 {@code data:} URIs ({@code data:[<mediatype>][;base64],<data>}). */
final class DataUri {

  private DataUri() {}

  static byte[] decode(String uri, long maxBytes) throws FetchException {
    int comma = uri.indexOf(',');
    if (comma < 0) {
      throw new FetchException(ErrorCode.INVALID_EVENT, "data: URI has no ',' separator");
    }
    String meta = uri.substring("data:".length(), comma);
    String data = uri.substring(comma + 1);
    // base64 grows 4/3, so the encoded length bounds the decoded size before any decoding
    if ((long) data.length() * 3 / 4 > maxBytes + 2) {
      throw new FetchException(ErrorCode.TOO_LARGE, "data: URI payload exceeds " + maxBytes + " bytes");
    }
    byte[] bytes;
    try {
      bytes = meta.endsWith(";base64")
          ? Base64.getMimeDecoder().decode(data)
          : URLDecoder.decode(data, StandardCharsets.UTF_8).getBytes(StandardCharsets.ISO_8859_1);
    } catch (IllegalArgumentException e) {
      throw new FetchException(ErrorCode.INVALID_EVENT, "data: URI is not valid base64: " + e.getMessage(), e);
    }
    if (bytes.length > maxBytes) {
      throw new FetchException(ErrorCode.TOO_LARGE, "data: URI payload exceeds " + maxBytes + " bytes");
    }
    return bytes;
  }
}
