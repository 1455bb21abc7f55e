package io.captionstream.schema;

import static io.captionstream.schema.PlainSerdeTest.assertInvalid;

import io.captionstream.schema.InvalidEventException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bad Confluent headers are refused before the registry is asked (its URL here answers nothing). */
class ConfluentHeaderTest {

  private final EventSerde<ImageReference> images = EventSerdes.imageReference(
      Map.of("serde.mode", "registry", "schema.registry.url", "http://127.0.0.1:9/apis/ccompat/v7"));

  @Test
  void nullPayloadIsInvalid() {
    assertInvalid(() -> images.deserialize("in", null), Reason.NULL_PAYLOAD, "null payload");
  }

  @Test
  void fewerThanFiveBytesAreTruncated() {
    assertInvalid(() -> images.deserialize("in", new byte[] {0, 0, 0, 1}), Reason.TRUNCATED, "4 bytes");
    assertInvalid(() -> images.deserialize("in", new byte[0]), Reason.TRUNCATED, "0 bytes");
  }

  @Test
  void plainJsonHasTheWrongMagicByte() {
    byte[] json = "{\"id\":\"a\",\"uri\":\"http://h/a\"}".getBytes(StandardCharsets.UTF_8);
    assertInvalid(() -> images.deserialize("in", json), Reason.WRONG_MAGIC_BYTE, "0x7b");
  }

  @Test
  void anyNonZeroFirstByteIsTheWrongMagicByte() {
    assertInvalid(() -> images.deserialize("in", new byte[] {1, 0, 0, 0, 1, '{', '}'}), Reason.WRONG_MAGIC_BYTE,
        "0x01");
  }
}
