package io.captionstream.pipeline;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;

/**
 * Which produce failures belong to one record for good: the producer or the broker refuses this record (too large,
 * invalid), and trying again cannot help. Every other failure (timeouts, an unreachable broker, authorization) is
 * the service's, not the record's: the instance stops and the record is redelivered.
 */
final class RefusedOutcome {

  private RefusedOutcome() {}

  static boolean isPermanent(Throwable error) {
    Throwable e = unwrap(error);
    return isSizeRefusal(e) || e instanceof InvalidRecordException || e instanceof InvalidTimestampException;
  }

  static boolean isSizeRefusal(Throwable error) {
    Throwable e = unwrap(error);
    return e instanceof RecordTooLargeException || e instanceof RecordBatchTooLargeException;
  }

  private static Throwable unwrap(Throwable e) {
    while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }
}
