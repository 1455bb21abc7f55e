package io.captionstream.cli;

import io.captionstream.schema.ImageReference;
import io.captionstream.tools.OutcomeReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * {@code demo --repeat N}: the sample set published N times, one round after the other, with the counts of the
 * summary line ({@code <n> captions (<k> from cache), <e> errors, <m> missing}) and, from the second round on,
 * whether each caption equals the first round's caption of the same image.
 */
final class DemoRounds {

  private final List<ImageReference> base;
  private final int repeat;
  private final Map<String, String> baseIdOf = new HashMap<>();
  private final Map<String, String> firstCaption = new HashMap<>();
  private final Set<String> pending = new LinkedHashSet<>();
  private int captions;
  private int fromCache;
  private int errors;
  private int roundCaptions;
  private int roundFromCache;
  private int roundDiffering;
  private boolean timedOut;

  DemoRounds(List<ImageReference> base, int repeat) {
    this.base = List.copyOf(base);
    this.repeat = repeat;
  }

  /** The references of {@code round} (1-based); ids get a {@code #round} suffix when there is more than one. */
  List<ImageReference> refs(int round) {
    List<ImageReference> out = new ArrayList<>();
    for (ImageReference r : base) {
      String id = repeat == 1 ? r.id() : r.id() + "#" + round;
      baseIdOf.put(id, r.id());
      pending.add(id);
      out.add(new ImageReference(id, r.uri(), r.prompt(), r.maxNewTokens(), r.longestEdge(), r.attributes(),
          r.deadline(), r.cache()));
    }
    roundCaptions = 0;
    roundFromCache = 0;
    roundDiffering = 0;
    return out;
  }

  /** Reads outcomes until every image of the round has one, the deadline passes or the service failed. */
  void await(int round, OutcomeReader reader, OutcomePrinter printer, long deadlineNanos, BooleanSupplier failed) {
    while (!pending.isEmpty() && System.nanoTime() < deadlineNanos && !failed.getAsBoolean()) {
      for (OutcomeReader.Outcome o : reader.poll(Duration.ofMillis(200))) {
        if (o.unreadable() != null) {
          printer.print(o);
        } else if (pending.remove(o.imageId())) {
          printer.print(o);
          count(round, o);
        }
      }
    }
    timedOut = !pending.isEmpty();
  }

  private void count(int round, OutcomeReader.Outcome o) {
    if (o.caption() == null) {
      errors++;
      return;
    }
    captions++;
    roundCaptions++;
    if (o.caption().cache() != null && o.caption().cache().hit()) {
      fromCache++;
      roundFromCache++;
    }
    String id = baseIdOf.get(o.imageId());
    if (round == 1) {
      firstCaption.put(id, o.caption().caption());
    } else if (!o.caption().caption().equals(firstCaption.get(id))) {
      roundDiffering++;
    }
  }

  /** One line about the round just awaited. */
  String roundSummary(int round) {
    String line = "round " + round + " of " + repeat + ": " + roundCaptions + " captions (" + roundFromCache
        + " from cache)";
    if (round > 1) {
      line += roundDiffering == 0 ? ", every caption equal to round 1's" : ", " + roundDiffering
          + " captions differ from round 1's";
    }
    return line;
  }

  boolean timedOut() {
    return timedOut;
  }

  int captions() {
    return captions;
  }

  int fromCache() {
    return fromCache;
  }

  int errors() {
    return errors;
  }

  /** Images published or still to publish that have no outcome. */
  int missing() {
    return base.size() * repeat - captions - errors;
  }

  Set<String> pending() {
    return Set.copyOf(pending);
  }
}
