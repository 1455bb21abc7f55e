package io.captionstream.pipeline;

import io.captionstream.schema.ErrorCode;
import io.captionstream.schema.SourceRef;
import org.apache.kafka.common.header.Headers;

/**
 * The one outcome of one input record, ready to produce: a caption to the output topic or an error to the error
 * topic, with the input's key and headers.
 *
 * @param code {@code null} for a caption, else the error's code
 */
public record Outcome(String topic, SourceRef source, byte[] key, Headers headers, byte[] value, ErrorCode code) {

  public boolean isError() {
    return code != null;
  }
}
