package io.captionstream.schema;

import org.apache.kafka.common.errors.SerializationException;

/**
 * The bytes of a record are not a valid event. The pipeline maps it to an {@link ErrorCode#INVALID_EVENT} error event
 * carrying {@link #getMessage()} (short, one line, no payload echo). Never thrown for registry outages: those are
 * {@link SchemaRegistryException}s, because the record itself may be fine.
 */
public final class InvalidEventException extends SerializationException {

  /** Why the bytes were refused. */
  public enum Reason {
    /** The record value is {@code null} (a tombstone), which is not an event. */
    NULL_PAYLOAD,
    /** Registry mode: fewer than the 5 bytes of the Confluent header (magic byte + schema id). */
    TRUNCATED,
    /** Registry mode: the first byte is not the Confluent magic byte 0. */
    WRONG_MAGIC_BYTE,
    /** Registry mode: the registry does not know the schema id in the header. */
    UNKNOWN_SCHEMA_ID,
    /** The payload is not one well-formed UTF-8 JSON document. */
    NOT_JSON,
    /** The JSON does not satisfy the schema (or does not map onto the record). */
    SCHEMA_VIOLATION
  }

  private final Reason reason;

  public InvalidEventException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public InvalidEventException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
