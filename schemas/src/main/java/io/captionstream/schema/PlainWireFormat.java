package io.captionstream.schema;

/** UTF-8 JSON, validated against the bundled schema on both sides. */
final class PlainWireFormat<T> implements WireFormat<T> {

  private final EventJson<T> json;

  PlainWireFormat(EventJson<T> json) {
    this.json = json;
  }

  @Override
  public byte[] write(String topic, T event) {
    return event == null ? null : json.bytes(json.toValidTree(event));
  }

  @Override
  public T read(String topic, byte[] data) {
    if (data == null) {
      throw new InvalidEventException(InvalidEventException.Reason.NULL_PAYLOAD, "null payload (tombstone)");
    }
    if (data.length > 0 && data[0] == ConfluentWireFormat.MAGIC_BYTE) {
      throw new InvalidEventException(InvalidEventException.Reason.NOT_JSON,
          "not JSON: starts with byte 0x00 (Confluent wire format? set serde.mode=registry)");
    }
    return json.toRecord(json.parse(data, 0, data.length));
  }
}
