package io.captionstream.image.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * CPU time per operation, next to JMH's wall-clock score: on a shared, overloaded machine the wall clock mostly
 * measures waiting for a core, while the CPU time the benchmark threads ({@code cpu.thread}) and the whole process
 * (incl. GC and JIT, {@code cpu.process}) spent per operation stays comparable between runs. Enable with
 * {@code -prof io.captionstream.image.bench.CpuTimeProfiler} (ImageBenchmark's main does by default).
 */
public final class CpuTimeProfiler implements InternalProfiler {

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final OperatingSystemMXBean os =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private long threadStart;
  private long processStart;

  @Override
  public String getDescription() {
    return "CPU time per operation of the JMH worker threads and of the whole process";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    threadStart = workerCpuNanos();
    processStart = os.getProcessCpuTime();
  }

  @Override
  public List<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
      IterationResult result) {
    long ops = Math.max(1, result.getMetadata().getMeasuredOps());
    double threadMs = (workerCpuNanos() - threadStart) / 1e6 / ops;
    double processMs = (os.getProcessCpuTime() - processStart) / 1e6 / ops;
    return List.of(new ScalarResult("cpu.thread", threadMs, "ms/op", AggregationPolicy.AVG),
        new ScalarResult("cpu.process", processMs, "ms/op", AggregationPolicy.AVG));
  }

  /** CPU time of JMH's worker threads (they live for the whole fork, so deltas over an iteration are exact). */
  private long workerCpuNanos() {
    long sum = 0;
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && info.getThreadName().contains("worker")) {
        long t = threads.getThreadCpuTime(info.getThreadId());
        if (t > 0) {
          sum += t;
        }
      }
    }
    return sum;
  }
}
