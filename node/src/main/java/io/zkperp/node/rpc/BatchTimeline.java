package io.zkperp.node.rpc;

import io.zkperp.node.BatchRecord;
import io.zkperp.node.BatchStatus;
import io.zkperp.node.BatchStore;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.LongSupplier;

/**
 * When this node saw each batch reach each status: the wall-clock time of the first durable write
 * of a batch in that status ({@link BatchStore#onPut}), kept in memory for the newest {@link #KEPT}
 * batches. Transitions before the node started are unknown (the batch record keeps no times, and
 * its stored format stays as it is). Writers: the stages' threads (through the store's listener);
 * readers: any thread.
 */
public final class BatchTimeline {
  /** Batches whose times are kept; older ones are dropped. */
  public static final int KEPT = 10_000;

  private final LongSupplier clockMillis;
  private final ConcurrentSkipListMap<Long, Map<BatchStatus, Long>> times =
      new ConcurrentSkipListMap<>();

  /**
   * An empty timeline.
   *
   * @param clockMillis unix milliseconds
   */
  public BatchTimeline(LongSupplier clockMillis) {
    this.clockMillis = clockMillis;
  }

  /**
   * A timeline fed by every later write to {@code batches}. Controlling thread, before the stages
   * start (as {@link BatchStore#onPut} requires).
   *
   * @param batches the batch store
   * @param clockMillis unix milliseconds
   * @return the timeline
   */
  public static BatchTimeline follow(BatchStore batches, LongSupplier clockMillis) {
    BatchTimeline t = new BatchTimeline(clockMillis);
    batches.onPut(t::observe);
    return t;
  }

  /**
   * Records that {@code r} was written in its status now, unless that status was seen before. The
   * writing stage's thread.
   *
   * @param r the batch as written
   */
  public void observe(BatchRecord r) {
    long now = clockMillis.getAsLong();
    Map<BatchStatus, Long> m =
        times.computeIfAbsent(r.number(), n -> new EnumMap<>(BatchStatus.class));
    synchronized (m) {
      m.putIfAbsent(r.status(), now);
    }
    while (times.size() > KEPT) {
      times.pollFirstEntry();
    }
  }

  /**
   * The statuses of a batch seen by this node and when. Any thread.
   *
   * @param batch the batch number
   * @return a copy, status → unix ms (empty if none was seen)
   */
  public Map<BatchStatus, Long> of(long batch) {
    Map<BatchStatus, Long> m = times.get(batch);
    if (m == null) {
      return Map.of();
    }
    synchronized (m) {
      return new EnumMap<>(m);
    }
  }
}
