package io.captionstream.generate;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * One {@link SessionSet} per model and session configuration, shared by every worker that asks for it: ONNX
 * Runtime's {@code Run} is thread-safe, so W workers hold one copy of the weights instead of W. Each worker keeps its
 * own run state (KV cache, pinned buffers, run options). Reference-counted: the set closes with its last lease.
 * Thread-safe.
 */
final class SharedSessions implements AutoCloseable {

  /** What distinguishes two session sets of the same graphs. */
  private record Key(int intraOpThreads, OptLevel optLevel, boolean lastPositionLogits, boolean signedWeights,
      Path profileDir) {
    static Key of(EngineSettings s) {
      return new Key(s.intraOpThreads(), s.optLevel(), s.lastPositionLogits(), s.signedWeights(), s.profileDir());
    }
  }

  private static final class Entry {
    final SessionSet sessions;
    int leases;

    Entry(SessionSet sessions) {
      this.sessions = sessions;
    }
  }

  private final Map<Key, Entry> open = new HashMap<>();
  private final Function<EngineSettings, SessionSet> opener;

  /** @param opener opens and checks a new set (called under this object's lock, so at most once per key at a time) */
  SharedSessions(Function<EngineSettings, SessionSet> opener) {
    this.opener = opener;
  }

  /** A lease on the set for {@code settings}, opened on first use. */
  synchronized Lease acquire(EngineSettings settings) {
    Key key = Key.of(settings);
    Entry e = open.get(key);
    if (e == null) {
      e = new Entry(opener.apply(settings));
      open.put(key, e);
    }
    e.leases++;
    return new Lease(key, e.sessions);
  }

  /** Session sets open now (for tests and diagnostics). */
  synchronized int openSets() {
    return open.size();
  }

  private synchronized void release(Key key) {
    Entry e = open.get(key);
    if (e != null && --e.leases == 0) {
      open.remove(key);
      e.sessions.close();
    }
  }

  /** Closes every set still open (the model is closing). */
  @Override
  public synchronized void close() {
    open.values().forEach(e -> e.sessions.close());
    open.clear();
  }

  /** One worker's hold on a shared set; closing it twice releases once. */
  final class Lease implements AutoCloseable {
    private final Key key;
    private final SessionSet sessions;
    private boolean released;

    private Lease(Key key, SessionSet sessions) {
      this.key = key;
      this.sessions = sessions;
    }

    SessionSet sessions() {
      return sessions;
    }

    @Override
    public void close() {
      synchronized (SharedSessions.this) {
        if (released) {
          return;
        }
        released = true;
      }
      release(key);
    }
  }
}
