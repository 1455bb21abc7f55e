package io.captionstream.cli;

import io.captionstream.generate.CaptionModel;
import io.captionstream.generate.CaptionOptions;
import io.captionstream.generate.CaptionResult;
import io.captionstream.generate.Captioner;
import io.captionstream.generate.EngineSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * W benchmark workers, each with its own captioner over the model's shared sessions and its own thread, like the
 * pipeline's workers. A round has every worker caption every image once, all at the same time; its wall time gives
 * the throughput of W workers together.
 */
final class BenchWorkers implements AutoCloseable {

  /** Worker thread stack, as the pipeline's (the native tokenizer needs more than 1 MiB). */
  private static final long STACK_BYTES = 16L << 20;

  /** One round's results (per worker, per image) and its wall time. */
  record Round(List<CaptionResult> results, double wallMs) {}

  private final List<Captioner> captioners = new ArrayList<>();
  private final ExecutorService threads;

  BenchWorkers(CaptionModel model, EngineSettings settings, int workers) {
    AtomicInteger n = new AtomicInteger();
    this.threads = Executors.newFixedThreadPool(workers,
        r -> new Thread(null, r, "bench-worker-" + n.getAndIncrement(), STACK_BYTES));
    try {
      for (int w = 0; w < workers; w++) {
        captioners.add(model.newCaptioner(settings));
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  Captioner first() {
    return captioners.get(0);
  }

  Round round(List<byte[]> images, CaptionOptions options) {
    long t0 = System.nanoTime();
    List<Future<List<CaptionResult>>> running = new ArrayList<>();
    for (Captioner c : captioners) {
      running.add(threads.submit(() -> {
        List<CaptionResult> out = new ArrayList<>();
        for (byte[] image : images) {
          out.add(c.caption(image, options));
        }
        return out;
      }));
    }
    List<CaptionResult> all = new ArrayList<>();
    try {
      for (Future<List<CaptionResult>> f : running) {
        all.addAll(f.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
    }
    return new Round(all, (System.nanoTime() - t0) / 1e6);
  }

  @Override
  public void close() {
    threads.shutdownNow();
    captioners.forEach(Captioner::close);
  }
}
