package io.captionstream.image.bench;

import io.captionstream.image.BaselinePipeline;
import io.captionstream.image.ImageDecoder;
import io.captionstream.image.ImagePreprocessor;
import io.captionstream.image.PixelBatch;
import io.captionstream.image.RgbImage;
import io.captionstream.model.PreprocessorConfig;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Single-thread cost of the image stage at the real defaults (longest edge 2048, tiles of 512, splitting on) on a
 * 4000×3000 JPEG (→ 2048×1536, 12 tiles + global) and a 640×480 PNG (upscaled → 2048×1536, same grid): decode and
 * preprocess, each with the current code and with the pre-optimisation baseline ({@link BaselinePipeline}) side by
 * side in one run, so ratios are comparable on a noisy machine. Short by design (1 fork, few iterations).
 *
 * <p>Run (from the repository root, after {@code ./mvnw -B -q -o -pl enricher -am test-compile}):
 * <pre>
 * ./mvnw -B -q -o -pl enricher dependency:build-classpath -Dmdep.outputFile=target/bench.cp
 * java -cp enricher/target/test-classes:enricher/target/classes:$(cat enricher/target/bench.cp) \
 *     io.captionstream.image.bench.ImageBenchmark [JMH options, e.g. -i 5 -wi 3 -f 1 'preprocess.*']
 * </pre>
 * {@code main} accepts the usual JMH command line and defaults to this class's benchmarks with
 * {@link CpuTimeProfiler} (CPU ms/op beside the wall-clock score: compare those on a loaded machine).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ImageBenchmark {

  @Param({"jpeg4000x3000", "png640x480"})
  public String image;

  private byte[] bytes;
  private RgbImage decoded;
  private ImageDecoder decoder;
  private ImagePreprocessor preprocessor;
  private PreprocessorConfig config;

  @Setup(Level.Trial)
  public void setUp() {
    bytes = switch (image) {
      case "jpeg4000x3000" -> BaselinePipeline.jpeg4000x3000();
      case "png640x480" -> BaselinePipeline.png640x480();
      default -> throw new IllegalArgumentException(image);
    };
    decoder = new ImageDecoder();
    decoded = decoder.decode(bytes);
    config = PreprocessorConfig.smolVlmDefaults();
    preprocessor = new ImagePreprocessor(config);
    if (!decoded.equals(BaselinePipeline.decode(bytes))) {
      throw new IllegalStateException("optimised decoding differs from the baseline on " + image);
    }
    if (!preprocessor.preprocess(decoded).equals(BaselinePipeline.preprocess(decoded, config))) {
      throw new IllegalStateException("optimised preprocessing differs from the baseline on " + image);
    }
  }

  @Benchmark
  public RgbImage decode() {
    return decoder.decode(bytes);
  }

  @Benchmark
  public RgbImage decodeBaseline() {
    return BaselinePipeline.decode(bytes);
  }

  @Benchmark
  public PixelBatch preprocess() {
    return preprocessor.preprocess(decoded);
  }

  @Benchmark
  public PixelBatch preprocessBaseline() {
    return BaselinePipeline.preprocess(decoded, config);
  }

  public static void main(String[] args) throws RunnerException, CommandLineOptionException {
    CommandLineOptions cli = new CommandLineOptions(args);
    OptionsBuilder options = new OptionsBuilder();
    options.parent(cli);
    if (cli.getIncludes().isEmpty()) {
      options.include(ImageBenchmark.class.getName() + "\\.");
    }
    if (cli.getProfilers().isEmpty()) {
      options.addProfiler(CpuTimeProfiler.class);
    }
    new Runner(options.build()).run();
  }
}
