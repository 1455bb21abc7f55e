package io.captionstream.pipeline;

import io.captionstream.schema.SourceRef;
import org.apache.kafka.common.header.Headers;

/**
 * One input record handed from the stream thread to the fetch stage and the workers.
 *
 * @param receivedNanos {@link System#nanoTime()} when the stream thread handed it off
 */
record Job(OffsetLedger.Ticket ticket, SourceRef source, byte[] key, Headers headers, byte[] value,
    long receivedNanos) {}
