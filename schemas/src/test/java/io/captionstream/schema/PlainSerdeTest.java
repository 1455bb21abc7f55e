package io.captionstream.schema;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.captionstream.schema.InvalidEventException.Reason;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class PlainSerdeTest {

  private static final Map<String, String> PLAIN = Map.of("serde.mode", "plain");

  private final EventSerde<ImageReference> images = EventSerdes.imageReference(PLAIN);
  private final EventSerde<CaptionEvent> captions = EventSerdes.captionEvent(PLAIN);
  private final EventSerde<CaptionError> errors = EventSerdes.captionError(PLAIN);

  @Test
  void plainIsTheDefaultMode() {
    assertThat(EventSerdes.imageReference(Map.of()).mode()).isEqualTo(SerdeMode.PLAIN);
  }

  @Test
  void roundTripsEveryEventType() {
    ImageReference image = Events.fullImageReference();
    CaptionEvent caption = Events.fullCaptionEvent();
    CaptionError error = Events.fullCaptionError();

    assertThat(images.deserialize("in", images.serialize("in", image))).isEqualTo(image);
    assertThat(captions.deserialize("out", captions.serialize("out", caption))).isEqualTo(caption);
    assertThat(errors.deserialize("err", errors.serialize("err", error))).isEqualTo(error);
  }

  @Test
  void writesIsoInstantsAndLeavesNullsOut() {
    String json = new String(images.serialize("in", ImageReference.of("a", "file:///tmp/a.png")), UTF_8);
    assertThat(json).isEqualTo("{\"id\":\"a\",\"uri\":\"file:///tmp/a.png\"}");

    String withDeadline = new String(images.serialize("in", Events.fullImageReference()), UTF_8);
    assertThat(withDeadline).contains("\"deadline\":\"2026-11-22T16:00:00Z\"");
    assertThat(new String(captions.serialize("out", Events.fullCaptionEvent()), UTF_8))
        .contains("\"createdAt\":\"2026-11-22T15:30:00.123Z\"");
  }

  @Test
  void serializesNullAsNull() {
    assertThat(images.serialize("in", null)).isNull();
  }

  @Test
  void imageReferenceToleratesUnknownFields() {
    byte[] json = "{\"id\":\"a\",\"uri\":\"data:image/png;base64,AAAA\",\"x-trace\":{\"deep\":[1,2]}}".getBytes(UTF_8);
    assertThat(images.deserialize("in", json)).isEqualTo(ImageReference.of("a", "data:image/png;base64,AAAA"));
  }

  @Test
  void outputReaderToleratesPropertiesOfANewerWriter() {
    String json = new String(captions.serialize("out", Events.fullCaptionEvent()), UTF_8);
    String newer = json.replace("\"model\":{", "\"language\":\"en\",\"model\":{\"revision\":\"main\",");
    assertThat(captions.deserialize("out", newer.getBytes(UTF_8))).isEqualTo(Events.fullCaptionEvent());
  }

  @Test
  void nullPayloadIsInvalid() {
    assertInvalid(() -> images.deserialize("in", null), Reason.NULL_PAYLOAD, "null payload");
  }

  @Test
  void emptyPayloadIsNotJson() {
    assertInvalid(() -> images.deserialize("in", new byte[0]), Reason.NOT_JSON, "empty");
  }

  @Test
  void garbageIsNotJson() {
    assertInvalid(() -> images.deserialize("in", "hello".getBytes(UTF_8)), Reason.NOT_JSON, "not JSON");
  }

  @Test
  void trailingGarbageIsNotJson() {
    byte[] json = "{\"id\":\"a\",\"uri\":\"file:///a\"} tail".getBytes(UTF_8);
    assertInvalid(() -> images.deserialize("in", json), Reason.NOT_JSON, "not JSON");
  }

  @Test
  void duplicateKeysAreNotJson() {
    byte[] json = "{\"id\":\"a\",\"id\":\"b\",\"uri\":\"file:///a\"}".getBytes(UTF_8);
    assertInvalid(() -> images.deserialize("in", json), Reason.NOT_JSON, "id");
  }

  @Test
  void invalidUtf8IsNotJson() {
    byte[] json = {'{', '"', 'i', 'd', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
    assertInvalid(() -> images.deserialize("in", json), Reason.NOT_JSON, "not JSON");
  }

  @Test
  void confluentFramedBytesInPlainModeSayWhatTheyAre() {
    byte[] framed = {0, 0, 0, 0, 1, '{', '}'};
    assertInvalid(() -> images.deserialize("in", framed), Reason.NOT_JSON, "serde.mode=registry");
  }

  @Test
  void missingRequiredFieldIsASchemaViolation() {
    byte[] json = "{\"id\":\"a\"}".getBytes(UTF_8);
    assertInvalid(() -> images.deserialize("in", json), Reason.SCHEMA_VIOLATION, "uri");
  }

  @Test
  void unsupportedUriSchemeIsASchemaViolation() {
    byte[] json = "{\"id\":\"a\",\"uri\":\"ftp://host/a.png\"}".getBytes(UTF_8);
    assertInvalid(() -> images.deserialize("in", json), Reason.SCHEMA_VIOLATION, "uri");
  }

  @Test
  void wrongTypeIsASchemaViolation() {
    byte[] json = "{\"id\":\"a\",\"uri\":\"http://h/a\",\"maxNewTokens\":\"many\"}".getBytes(UTF_8);
    assertInvalid(() -> images.deserialize("in", json), Reason.SCHEMA_VIOLATION, "maxNewTokens");
  }

  @Test
  void nonStringAttributeValueIsASchemaViolationEvenForTheTolerantReader() {
    byte[] json = "{\"id\":\"a\",\"uri\":\"http://h/a\",\"attributes\":{\"n\":5}}".getBytes(UTF_8);
    assertInvalid(() -> images.deserialize("in", json), Reason.SCHEMA_VIOLATION, "/attributes/n");
    String out = new String(captions.serialize("out", Events.fullCaptionEvent()), UTF_8)
        .replace("\"tenant\":\"acme\"", "\"tenant\":{\"nested\":true}");
    assertInvalid(() -> captions.deserialize("out", out.getBytes(UTF_8)), Reason.SCHEMA_VIOLATION, "tenant");
  }

  @Test
  void integerTooLargeForTheRecordIsASchemaViolation() {
    byte[] json = "{\"id\":\"a\",\"uri\":\"http://h/a\",\"maxNewTokens\":99999999999}".getBytes(UTF_8);
    assertInvalid(() -> images.deserialize("in", json), Reason.SCHEMA_VIOLATION, "does not map onto ImageReference");
  }

  @Test
  void absurdlyDeepJsonIsNotJson() {
    byte[] json = ("{\"id\":\"a\",\"uri\":\"http://h/a\",\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}")
        .getBytes(UTF_8);
    assertInvalid(() -> images.deserialize("in", json), Reason.NOT_JSON, "not JSON");
  }

  @Test
  void jsonThatIsNotAnObjectIsASchemaViolation() {
    assertInvalid(() -> images.deserialize("in", "[1,2]".getBytes(UTF_8)), Reason.SCHEMA_VIOLATION, "object");
  }

  @Test
  void badDeadlineIsASchemaViolation() {
    byte[] json = "{\"id\":\"a\",\"uri\":\"http://h/a\",\"deadline\":\"tomorrow\"}".getBytes(UTF_8);
    assertInvalid(() -> images.deserialize("in", json), Reason.SCHEMA_VIOLATION, "deadline");
  }

  @Test
  void unknownErrorCodeIsASchemaViolation() {
    String json = new String(errors.serialize("err", Events.fullCaptionError()), UTF_8)
        .replace("FETCH_FAILED", "GREMLINS");
    assertInvalid(() -> errors.deserialize("err", json.getBytes(UTF_8)), Reason.SCHEMA_VIOLATION, "code");
  }

  @Test
  void writingAnInvalidRecordFailsInsteadOfProducingIt() {
    ImageReference noUri = new ImageReference("a", null, null, null, null, null, null);
    assertInvalid(() -> images.serialize("in", noUri), Reason.SCHEMA_VIOLATION, "uri");
  }

  @Test
  void messagesAreShortAndDoNotEchoThePayload() {
    String secret = "x".repeat(5000);
    byte[] json = ("{\"id\":\"a\",\"uri\":\"gopher://" + secret + "\"}").getBytes(UTF_8);
    assertThatThrownBy(() -> images.deserialize("in", json))
        .isInstanceOf(InvalidEventException.class)
        .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(600));
  }

  static void assertInvalid(Runnable call, Reason reason, String messagePart) {
    assertThatThrownBy(call::run)
        .isInstanceOf(InvalidEventException.class)
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining(messagePart)
        .satisfies(e -> assertThat(((InvalidEventException) e).reason()).isEqualTo(reason));
  }
}
