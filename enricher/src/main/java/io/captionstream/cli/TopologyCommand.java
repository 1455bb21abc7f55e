package io.captionstream.cli;

import io.captionstream.pipeline.CaptionTopology;
import io.captionstream.pipeline.Topics;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Prints the Kafka Streams topology of {@code enricher run} and where its outcomes go. */
@Command(name = "topology", mixinStandardHelpOptions = true,
    description = "Describes the Kafka Streams topology of 'enricher run' and the topics its outcomes go to.")
public final class TopologyCommand implements Callable<Integer> {

  @Option(names = "--input-topic", defaultValue = Topics.DEFAULT_INPUT, description = "Input topic (default: ${DEFAULT-VALUE}).")
  String input;

  @Option(names = "--output-topic", defaultValue = Topics.DEFAULT_OUTPUT, description = "Caption topic (default: ${DEFAULT-VALUE}).")
  String output;

  @Option(names = "--error-topic", defaultValue = Topics.DEFAULT_ERRORS, description = "Error topic (default: ${DEFAULT-VALUE}).")
  String errors;

  @Override
  public Integer call() {
    System.out.print(CaptionTopology.describe(new Topics(input, output, errors)));
    return 0;
  }
}
