package io.captionstream.synth;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The byte-level BPE vocabulary of the synthetic tokenizer: GPT-2's byte alphabet and the merges, first learned from a
 * small built-in English text (so common words and {@code "\n\n"} become single tokens), then seeded random merges
 * of existing tokens until the budget is spent. Deterministic for a seed.
 */
final class BpeMergeTrainer {

  private static final int MAX_FILLER_TOKEN_CHARS = 12;

  /** GPT-2's pre-tokenizer split, used only to learn merges from the built-in text. */
  private static final Pattern WORDS = Pattern.compile(
      "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+");

  private static final String CORPUS = """
      Can you describe this image? The image shows a small red house on a green hill under a blue sky.
      There is a dog sitting in front of the door, and two children are playing with a ball in the garden.

      What is in this picture? A woman is walking along the beach at sunset. The water is calm and the sand
      is wet. In the background there are some boats and a lighthouse on the rocks.

      Describe the image in detail. This is a photograph of a busy city street with cars, buses and people.
      The buildings are tall and the windows reflect the light of the morning sun. A man on a bicycle is
      waiting at the traffic light, and a woman with an umbrella is crossing the road.

      The picture shows a table with a cup of coffee, a plate of bread and a book. The room is bright and
      there is a window on the left side of the image. A cat is sleeping on the chair next to the table.

      User: Can you describe this image?
      Assistant: The image shows a group of people standing in a park. Some of them are holding signs and
      others are talking to each other. The trees are green and the weather looks sunny and warm.

      In this image we can see a mountain covered with snow, a forest of pine trees and a river that flows
      through the valley. The sky is clear and there are a few white clouds above the mountain.

      """;

  private BpeMergeTrainer() {}

  /**
   * Byte-pair merges: "Ċ Ċ" first (the contract's {@code "\n\n"} token), then classic BPE training on the built-in
   * text, then seeded random merges of existing non-special tokens until {@code budget} merges exist. Adds every merge
   * result to {@code vocab}.
   */
  static List<String> learn(Map<String, Integer> vocab, String[] byteChars, int budget, long seed) {
    List<String> merges = new ArrayList<>(Math.max(budget, 0));
    List<String> mergeable = new ArrayList<>(List.of(byteChars));
    String nl = byteChars['\n'];
    addMerge(nl, nl, vocab, merges, mergeable);

    List<List<String>> words = new ArrayList<>();
    List<Integer> counts = new ArrayList<>();
    Map<String, Integer> wordIndex = new HashMap<>();
    Matcher m = WORDS.matcher(CORPUS);
    while (m.find()) {
      String w = m.group();
      Integer idx = wordIndex.get(w);
      if (idx == null) {
        wordIndex.put(w, words.size());
        List<String> symbols = new ArrayList<>();
        for (byte b : w.getBytes(StandardCharsets.UTF_8)) {
          symbols.add(byteChars[b & 0xff]);
        }
        words.add(symbols);
        counts.add(1);
      } else {
        counts.set(idx, counts.get(idx) + 1);
      }
    }
    while (merges.size() < budget) {
      String[] best = mostFrequentPair(words, counts, seed);
      if (best == null) {
        break;
      }
      String joined = best[0] + best[1];
      if (vocab.containsKey(joined)) {
        applyMerge(words, best[0], best[1]);
        continue;
      }
      addMerge(best[0], best[1], vocab, merges, mergeable);
      applyMerge(words, best[0], best[1]);
    }
    // Filler: extend a random not-too-long token by a random short one (a byte or a learned merge).
    List<String> pieces = List.copyOf(mergeable);
    List<String> extendable = new ArrayList<>(mergeable);
    SplittableRandom rnd = new SplittableRandom(seed);
    while (merges.size() < budget) {
      if (extendable.isEmpty()) {
        throw new IllegalStateException("no more distinct merges of up to " + MAX_FILLER_TOKEN_CHARS + " chars");
      }
      int ai = rnd.nextInt(extendable.size());
      String a = extendable.get(ai);
      String b = pieces.get(rnd.nextInt(pieces.size()));
      String joined = a + b;
      if (joined.length() > MAX_FILLER_TOKEN_CHARS) {
        if (a.length() >= MAX_FILLER_TOKEN_CHARS - 1) {
          extendable.set(ai, extendable.get(extendable.size() - 1));
          extendable.remove(extendable.size() - 1);
        }
        continue;
      }
      if (!vocab.containsKey(joined)) {
        addMerge(a, b, vocab, merges, mergeable);
        extendable.add(joined);
      }
    }
    return merges;
  }

  private static void addMerge(String a, String b, Map<String, Integer> vocab, List<String> merges,
      List<String> mergeable) {
    String joined = a + b;
    vocab.put(joined, vocab.size());
    merges.add(a + " " + b);
    mergeable.add(joined);
  }

  /** Highest count, ties broken by a seeded hash then by the pair text: deterministic for a seed. */
  private static String[] mostFrequentPair(List<List<String>> words, List<Integer> counts, long seed) {
    Map<String, Integer> pairCounts = new HashMap<>();
    Map<String, String[]> pairs = new HashMap<>();
    for (int w = 0; w < words.size(); w++) {
      List<String> s = words.get(w);
      for (int i = 0; i + 1 < s.size(); i++) {
        String key = s.get(i) + " " + s.get(i + 1);
        pairCounts.merge(key, counts.get(w), Integer::sum);
        pairs.putIfAbsent(key, new String[] {s.get(i), s.get(i + 1)});
      }
    }
    String bestKey = null;
    int bestCount = 1; // a pair seen once is not worth a merge
    long bestTie = 0;
    for (Map.Entry<String, Integer> e : pairCounts.entrySet()) {
      int c = e.getValue();
      long tie = mix(seed ^ e.getKey().hashCode());
      if (c > bestCount || (c == bestCount && bestKey != null
          && (tie < bestTie || (tie == bestTie && e.getKey().compareTo(bestKey) < 0)))) {
        bestKey = e.getKey();
        bestCount = c;
        bestTie = tie;
      }
    }
    return bestKey == null ? null : pairs.get(bestKey);
  }

  /** SplitMix64's finaliser: a cheap, well-spread hash for seeded tie-breaking. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  private static void applyMerge(List<List<String>> words, String a, String b) {
    for (List<String> s : words) {
      for (int i = 0; i + 1 < s.size(); i++) {
        if (s.get(i).equals(a) && s.get(i + 1).equals(b)) {
          s.set(i, a + b);
          s.remove(i + 1);
        }
      }
    }
  }

  /** GPT-2's reversible byte → printable unicode character table. */
  static String[] byteToUnicode() {
    String[] out = new String[256];
    Set<Integer> direct = new HashSet<>();
    for (int b = '!'; b <= '~'; b++) {
      direct.add(b);
    }
    for (int b = 0xA1; b <= 0xAC; b++) {
      direct.add(b);
    }
    for (int b = 0xAE; b <= 0xFF; b++) {
      direct.add(b);
    }
    int n = 0;
    for (int b = 0; b < 256; b++) {
      out[b] = direct.contains(b) ? String.valueOf((char) b) : String.valueOf((char) (256 + n++));
    }
    return out;
  }
}
