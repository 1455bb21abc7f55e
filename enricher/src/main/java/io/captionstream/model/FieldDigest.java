package io.captionstream.model;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 over length-prefixed fields, so that no two different field lists hash alike ("ab","c" vs "a","bc"). */
public final class FieldDigest {

  private FieldDigest() {}

  /** A new SHA-256 digest (every JVM has one). */
  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Adds one field: its UTF-8 length (4 bytes, big-endian), then its bytes. */
  public static void field(MessageDigest sha, String value) {
    byte[] b = value.getBytes(StandardCharsets.UTF_8);
    sha.update(ByteBuffer.allocate(4).putInt(b.length).array());
    sha.update(b);
  }
}
