package io.captionstream.schema;

import org.apache.kafka.common.errors.SerializationException;

/**
 * The schema registry could not be used: unreachable, refused the credentials, refused a schema (for example HTTP 409,
 * incompatible with the subject's compatibility rule) or answered something unexpected. Not the record's fault, so
 * never mapped to {@code INVALID_EVENT}: callers retry or stop.
 */
public final class SchemaRegistryException extends SerializationException {

  private final int status;
  private final int errorCode;

  public SchemaRegistryException(String message, int status, int errorCode) {
    super(message);
    this.status = status;
    this.errorCode = errorCode;
  }

  public SchemaRegistryException(String message, Throwable cause) {
    super(message, cause);
    this.status = -1;
    this.errorCode = -1;
  }

  /** HTTP status of the registry's answer; -1 when there was none (connection failed). */
  public int status() {
    return status;
  }

  /** The registry's {@code error_code} (e.g. 40401 subject not found, 40403 schema not found); -1 when absent. */
  public int errorCode() {
    return errorCode;
  }
}
