package io.captionstream.cli;

import io.captionstream.config.ConfigKeys;
import io.captionstream.config.ServiceConfig;
import io.captionstream.observe.TerminalText;
import io.captionstream.tools.OutcomeReader;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code enricher consume}: prints captions and errors from the output and error topics. */
@Command(name = "consume", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
      "Prints CaptionEvents (output topic) and CaptionErrors (error topic) as they arrive: readable, or JSON lines.",
      "Reads from the beginning of both topics (or only new records with --from-end) without joining a group."},
    footer = {"", "Exit codes: 0 done (--max reached, or --timeout passed without --max), 2 bad arguments, "
        + "3 broker or topics unavailable, 4 --timeout passed before --max outcomes."})
public final class ConsumeCommand implements Callable<Integer> {

  @Mixin KafkaClientOptions kafka;

  @Option(names = "--output-topic",
      description = "Caption topic (default: topic.output of the settings, else captions).")
  String outputTopic;

  @Option(names = "--error-topic",
      description = "Error topic (default: topic.errors of the settings, else caption-errors).")
  String errorTopic;

  @Option(names = {"-n", "--max"}, description = "Stop after this many outcomes (captions + errors).")
  Integer max;

  @Option(names = "--timeout", description = "Stop after this long, e.g. 30s or 2m (default: no limit).")
  String timeout;

  @Option(names = "--json", description = "One JSON object per line (the record values) instead of readable text.")
  boolean json;

  @Option(names = "--from-end", description = "Only outcomes produced after the command started.")
  boolean fromEnd;

  @Override
  public Integer call() {
    Duration limit;
    ServiceConfig config;
    try {
      config = kafka.load();
      limit = timeout == null ? null : ConfigParsing.duration("--timeout", timeout);
    } catch (IllegalArgumentException e) { // a ConfigException too
      System.err.println("consume: " + TerminalText.escape(e.getMessage()));
      return ExitCodes.USAGE;
    }
    String bootstrap = config.get(ConfigKeys.BOOTSTRAP_SERVERS);
    String outputTopic = this.outputTopic != null ? this.outputTopic : config.get(ConfigKeys.TOPIC_OUTPUT);
    String errorTopic = this.errorTopic != null ? this.errorTopic : config.get(ConfigKeys.TOPIC_ERRORS);
    if (max != null && max < 1) {
      System.err.println("consume: --max must be >= 1");
      return ExitCodes.USAGE;
    }
    OutcomePrinter printer = new OutcomePrinter(System.out, json);
    long deadline = limit == null ? Long.MAX_VALUE : System.nanoTime() + limit.toNanos();
    int seen = 0;
    try (OutcomeReader reader = new OutcomeReader(bootstrap, config.kafka(), outputTopic, errorTopic, !fromEnd)) {
      while ((max == null || seen < max) && System.nanoTime() < deadline) {
        for (OutcomeReader.Outcome o : reader.poll(Duration.ofMillis(200))) {
          if (max != null && seen >= max) {
            break;
          }
          printer.print(o);
          if (o.unreadable() == null) { // foreign bytes on our topics are reported on stderr, not counted
            seen++;
          }
        }
      }
    } catch (IllegalStateException | KafkaException e) {
      System.err.println("consume: " + TerminalText.escape(e.getMessage()) + " (brokers " + bootstrap + ")");
      return ExitCodes.UNAVAILABLE;
    }
    if (max != null && seen < max) {
      System.err.println("consume: " + seen + " of " + max + " outcomes before the timeout");
      return ExitCodes.TIMEOUT;
    }
    return ExitCodes.OK;
  }
}
