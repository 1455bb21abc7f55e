package io.captionstream.fetch;

import java.util.Map;
import java.util.Optional;

/**
 * One HTTP response: status, headers (names lower-case, first value of each) and, for 2xx, the body.
 *
 * @param body the body of a 2xx response; empty for every other status (it is never read)
 */
record HttpReply(int status, Map<String, String> headers, byte[] body) {

  HttpReply {
    headers = Map.copyOf(headers);
  }

  Optional<String> header(String lowerCaseName) {
    return Optional.ofNullable(headers.get(lowerCaseName));
  }
}
