package io.captionstream.cli;

import io.captionstream.config.ConfigException;
import io.captionstream.config.ConfigKeys;
import io.captionstream.config.ServiceConfig;
import io.captionstream.schema.ImageReference;
import io.captionstream.tools.ImagePublisher;
import io.captionstream.tools.ImageSources;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code enricher publish}: files, directories and URLs become {@code ImageReference} events on the input topic. */
@Command(name = "publish", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
      "Publishes ImageReference events: one per image file (directories are walked for jpg/png/gif/bmp/webp) or URL.",
      "Files are sent as file: URIs (the service needs --file-root covering them) or, with --inline, as data: URIs."},
    footer = {"", "Exit codes: 0 all acknowledged, 1 a send failed, 2 bad arguments, 3 broker unreachable."})
public final class PublishCommand implements Callable<Integer> {

  @Mixin KafkaClientOptions kafka;

  @Option(names = {"-t", "--topic"}, description = "Input topic (default: topic.input of the settings, else images).")
  String topic;

  @Option(names = "--inline", description = "Embed file contents as data: URIs instead of file: URIs.")
  boolean inline;

  @Option(names = "--samples", description = "Publish the sample images bundled in the jar (as data: URIs).")
  boolean samples;

  @Option(names = "--repeat", defaultValue = "1", description = "Publish every image N times (ids get a #n suffix).")
  int repeat;

  @Option(names = "--prompt", description = "Question asked about every image (default: a caption request).")
  String prompt;

  @Option(names = "--max-new-tokens", description = "Generated-token cap for these images.")
  Integer maxNewTokens;

  @Parameters(arity = "0..*", paramLabel = "IMAGE", description = "Image files, directories or http(s)/file/data URLs.")
  List<String> images = List.of();

  @Override
  public Integer call() {
    PrintStream err = System.err;
    List<ImageReference> refs;
    ServiceConfig config;
    try {
      config = kafka.load();
    } catch (ConfigException e) {
      err.println("publish: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    String bootstrap = config.get(ConfigKeys.BOOTSTRAP_SERVERS);
    String topic = this.topic != null ? this.topic : config.get(ConfigKeys.TOPIC_INPUT);
    try {
      if (images.isEmpty() && !samples) {
        err.println("publish: give images (files, directories, URLs) or --samples");
        return ExitCodes.USAGE;
      }
      if (repeat < 1) {
        err.println("publish: --repeat must be >= 1");
        return ExitCodes.USAGE;
      }
      List<ImageReference> base = new ArrayList<>(ImageSources.of(images, inline));
      if (samples) {
        base.addAll(ImageSources.samples());
      }
      refs = new ArrayList<>();
      for (int i = 1; i <= repeat; i++) {
        for (ImageReference r : base) {
          String id = repeat == 1 ? r.id() : r.id() + "#" + i;
          refs.add(new ImageReference(id, r.uri(), prompt, maxNewTokens, null, null, null));
        }
      }
    } catch (IOException e) {
      err.println("publish: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    try (ImagePublisher publisher = new ImagePublisher(bootstrap, config.kafka())) {
      int total = refs.size();
      publisher.publish(topic, refs, n -> {
        if (n == total || n % Math.max(1, total / 10) == 0) {
          err.printf("\rpublished %d/%d to %s", n, total, topic);
        }
      });
      err.println();
      for (ImageReference r : refs) {
        System.out.println(r.id());
      }
      return ExitCodes.OK;
    } catch (KafkaException e) {
      err.println("publish: cannot reach Kafka at " + bootstrap + ": " + e.getMessage());
      return ExitCodes.UNAVAILABLE;
    } catch (Exception e) {
      Throwable c = e.getCause() != null ? e.getCause() : e;
      err.println("publish: send to " + topic + " at " + bootstrap + " failed: " + c.getMessage());
      return c instanceof TimeoutException ? ExitCodes.UNAVAILABLE : ExitCodes.FAILURE;
    }
  }
}
