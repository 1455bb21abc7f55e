package io.captionstream.hub;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress bar on stderr. On a terminal it redraws one line in place ({@code \r}); in a log or pipe it prints a line
 * every 10 % so CI output stays short.
 */
public final class ConsoleProgressBar implements DownloadProgress {

  private static final int WIDTH = 30;

  private final PrintStream out;
  private final boolean interactive;
  private String file;
  private long total;
  private long startBytes;
  private long startNanos;
  private long lastDrawNanos;
  private int lastDecile;

  public ConsoleProgressBar(PrintStream out, boolean interactive) {
    this.out = out;
    this.interactive = interactive;
  }

  /** A bar on {@code System.err}, redrawn in place when a console is attached. */
  public static ConsoleProgressBar stderr() {
    return new ConsoleProgressBar(System.err, System.console() != null);
  }

  @Override
  public synchronized void start(String file, long totalBytes, long alreadyHave) {
    this.file = file;
    this.total = totalBytes;
    this.startBytes = alreadyHave;
    this.startNanos = System.nanoTime();
    this.lastDrawNanos = 0;
    this.lastDecile = -1;
    if (alreadyHave > 0) {
      out.printf(Locale.ROOT, "resuming %s at %s%n", file, bytes(alreadyHave));
    }
    advance(file, alreadyHave);
  }

  @Override
  public synchronized void advance(String file, long bytesSoFar) {
    long now = System.nanoTime();
    int decile = total > 0 ? (int) (bytesSoFar * 10 / total) : -1;
    if (interactive) {
      if (now - lastDrawNanos < 100_000_000L && bytesSoFar < total) {
        return;
      }
      lastDrawNanos = now;
      out.print("\r" + line(bytesSoFar, now));
    } else if (decile != lastDecile && decile < 10) {
      lastDecile = decile;
      out.println(line(bytesSoFar, now));
    }
    out.flush();
  }

  @Override
  public synchronized void done(String file, boolean fromCache) {
    if (fromCache) {
      out.printf(Locale.ROOT, "%-44s cached%n", file);
    } else {
      out.print((interactive ? "\r" : "") + line(total, System.nanoTime()) + " ok\n");
    }
    out.flush();
  }

  private String line(long have, long now) {
    double seconds = Math.max(1e-3, (now - startNanos) / 1e9);
    double rate = (have - startBytes) / seconds;
    StringBuilder bar = new StringBuilder();
    if (total > 0) {
      int filled = (int) Math.min(WIDTH, have * WIDTH / total);
      bar.append("#".repeat(filled)).append("-".repeat(WIDTH - filled));
      String eta = rate > 0 ? (long) Math.ceil((total - have) / rate) + "s" : "?";
      return String.format(Locale.ROOT, "%-44s %3d%% [%s] %s/%s %s/s eta %s",
          file, have * 100 / total, bar, bytes(have), bytes(total), bytes((long) rate), eta);
    }
    return String.format(Locale.ROOT, "%-44s %s %s/s", file, bytes(have), bytes((long) rate));
  }

  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
