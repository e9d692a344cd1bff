package io.zkperp.state.smt;

import io.zkperp.protocol.hash.Poseidon2;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs many independent Poseidon2 compressions, on the calling thread or split across a small pool
 * of hashing threads. Inputs and outputs are Montgomery limbs in flat {@code long} arrays; nothing
 * is allocated per hash. The pool only ever computes pure functions of arrays the caller prepared,
 * so the state store keeps a single writer.
 *
 * <p>Thread-safety: one caller thread at a time (the writer); the pool threads are internal.
 */
public final class HashWorkers implements AutoCloseable {
  /** Items below which a job runs on the calling thread. */
  private static final int MIN_PARALLEL_ITEMS = 32;

  private final int threads;
  private final ExecutorService pool;
  private final long[] work = new long[8];
  private final long[] scratch = new long[Poseidon2.SCRATCH_LONGS];
  private long compressions;
  private long nanos;

  /**
   * Creates the workers.
   *
   * @param threads total hashing threads including the caller; 1 hashes on the caller only
   */
  public HashWorkers(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("hash threads must be >= 1, got " + threads);
    }
    this.threads = threads;
    if (threads == 1) {
      pool = null;
    } else {
      AtomicInteger n = new AtomicInteger();
      pool =
          Executors.newFixedThreadPool(
              threads - 1,
              r -> {
                Thread t = new Thread(r, "state-hash-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
    }
  }

  /**
   * Number of hashing threads including the caller.
   *
   * @return threads
   */
  public int threads() {
    return threads;
  }

  /**
   * Total compressions performed by this instance (including {@link #compress}).
   *
   * @return the count
   */
  public long compressions() {
    return compressions;
  }

  /**
   * Wall-clock nanoseconds the calling thread spent in this instance's hashing methods (waiting for
   * pool threads included): divided by the elapsed time it is the fraction of the hash-bound limit
   * achieved.
   *
   * @return nanoseconds
   */
  public long hashingNanos() {
    return nanos;
  }

  /**
   * One compression on the calling thread: {@code out = Compress(left, right)}. Output may alias an
   * input.
   *
   * @param left left limbs array
   * @param lo offset
   * @param right right limbs array
   * @param ro offset
   * @param out destination
   * @param oo offset
   */
  public void compress(long[] left, int lo, long[] right, int ro, long[] out, int oo) {
    long t = System.nanoTime();
    System.arraycopy(left, lo, work, 0, 4);
    System.arraycopy(right, ro, work, 4, 4);
    Poseidon2.compressInPlace(work, 0, work, 4, scratch);
    System.arraycopy(work, 0, out, oo, 4);
    compressions++;
    nanos += System.nanoTime() - t;
  }

  /**
   * {@code out[i] = Compress(in[2i], in[2i+1])} for {@code i < count} (8 longs in, 4 out per item).
   *
   * @param in left and right inputs
   * @param out outputs
   * @param count items
   */
  public void compressPairs(long[] in, long[] out, int count) {
    run(count, (from, to, w, s) -> pairs(in, out, from, to, w, s));
    compressions += count;
  }

  /**
   * Merkle–Damgård chains from a common prefix state: for each item i, {@code acc = prefix; acc =
   * Compress(acc, in[i][j])} for j &lt; elements; {@code out[i] = acc}.
   *
   * @param prefix 4 longs: the state after the common first blocks
   * @param in {@code elements * 4} longs per item
   * @param elements blocks per item
   * @param out 4 longs per item
   * @param count items
   */
  public void chains(long[] prefix, long[] in, int elements, long[] out, int count) {
    run(count, (from, to, w, s) -> chains(prefix, in, elements, out, from, to, w, s));
    compressions += (long) count * elements;
  }

  private static void pairs(long[] in, long[] out, int from, int to, long[] w, long[] s) {
    for (int i = from; i < to; i++) {
      System.arraycopy(in, i * 8, w, 0, 8);
      Poseidon2.compressInPlace(w, 0, w, 4, s);
      System.arraycopy(w, 0, out, i * 4, 4);
    }
  }

  private static void chains(
      long[] prefix, long[] in, int elements, long[] out, int from, int to, long[] w, long[] s) {
    for (int i = from; i < to; i++) {
      System.arraycopy(prefix, 0, w, 0, 4);
      int base = i * elements * 4;
      for (int j = 0; j < elements; j++) {
        Poseidon2.compressInPlace(w, 0, in, base + j * 4, s);
      }
      System.arraycopy(w, 0, out, i * 4, 4);
    }
  }

  @FunctionalInterface
  private interface RangeJob {
    void run(int from, int to, long[] work, long[] scratch);
  }

  private void run(int count, RangeJob job) {
    long t = System.nanoTime();
    try {
      runTimed(count, job);
    } finally {
      nanos += System.nanoTime() - t;
    }
  }

  private void runTimed(int count, RangeJob job) {
    if (pool == null || count < MIN_PARALLEL_ITEMS) {
      job.run(0, count, work, scratch);
      return;
    }
    int chunk = (count + threads - 1) / threads;
    List<Future<Void>> futures = new ArrayList<>(threads - 1);
    for (int t = 1; t < threads; t++) {
      int from = t * chunk;
      int to = Math.min(count, from + chunk);
      if (from >= to) {
        break;
      }
      Callable<Void> c =
          () -> {
            job.run(from, to, new long[8], new long[Poseidon2.SCRATCH_LONGS]);
            return null;
          };
      futures.add(pool.submit(c));
    }
    job.run(0, Math.min(count, chunk), work, scratch);
    for (Future<Void> f : futures) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while hashing", e);
      } catch (ExecutionException e) {
        throw new IllegalStateException("hashing thread failed", e.getCause());
      }
    }
  }

  /** Stops the pool threads. Idempotent. */
  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }
}
