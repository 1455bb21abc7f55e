package io.captionstream.pipeline;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;

/** The topology of the service, built in one place. */
public final class CaptionTopology {

  public static final String SOURCE = "image-references";
  public static final String PROCESSOR = "caption";

  private CaptionTopology() {}

  /** Stands in for the caption processor in a topology that is only described, never run. */
  private static final class DescribedOnly implements Processor<byte[], byte[], Void, Void> {
    @Override
    public void process(Record<byte[], byte[]> record) {
      throw new IllegalStateException("a described topology is never run");
    }
  }

  /**
   * {@code input topic → caption processor}. The processor hands each record to the worker pool; outcomes reach the
   * output and error topics through the workers' idempotent producer ({@link OutcomeSink}), not through a Streams
   * sink, because they are produced outside {@code process()}.
   */
  public static Topology build(Topics topics, ProcessorSupplier<byte[], byte[], Void, Void> captionProcessor) {
    Topology topology = new Topology();
    topology.addSource(SOURCE, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(), topics.input());
    topology.addProcessor(PROCESSOR, captionProcessor, SOURCE);
    return topology;
  }

  /** {@code enricher topology}: the Streams description plus the outcome topics the workers produce to. */
  public static String describe(Topics topics) {
    Topology t = build(topics, DescribedOnly::new);
    return t.describe() + "\n"
        + "Outcomes (produced by the worker pool's idempotent producer, acks=all, once per input record):\n"
        + "    caption  --> " + topics.output() + "\n"
        + "    error    --> " + topics.errors() + "\n"
        + "Input offsets are committed only after their outcome is acknowledged (see README: guarantees).\n";
  }
}
