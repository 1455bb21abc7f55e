package io.captionstream.cli;

import io.captionstream.config.ConfigKeys;
import io.captionstream.pipeline.CaptionTopology;
import io.captionstream.pipeline.Topics;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Prints the Kafka Streams topology of {@code enricher run} and where its outcomes go. */
@Command(name = "topology", mixinStandardHelpOptions = true,
    description = "Describes the Kafka Streams topology of 'enricher run' and the topics its outcomes go to.")
public final class TopologyCommand implements Callable<Integer> {

  @Option(names = "--input-topic", description = "Input topic (default: ${DEFAULT-VALUE}).")
  String input = ConfigKeys.TOPIC_INPUT.defaultText();

  @Option(names = "--output-topic", description = "Caption topic (default: ${DEFAULT-VALUE}).")
  String output = ConfigKeys.TOPIC_OUTPUT.defaultText();

  @Option(names = "--error-topic", description = "Error topic (default: ${DEFAULT-VALUE}).")
  String errors = ConfigKeys.TOPIC_ERRORS.defaultText();

  @Override
  public Integer call() {
    System.out.print(CaptionTopology.describe(new Topics(input, output, errors)));
    return 0;
  }
}
