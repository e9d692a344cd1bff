package io.zkperp.sequencer.pipeline;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.WaitStrategy;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A wait strategy for a pipeline on few cores: a waiting stage spins briefly, then blocks until it
 * is signalled, whether it waits for producers (the ring's cursor) or for the previous stage.
 * Producers signal on publish (as with Disruptor's {@code LiteBlockingWaitStrategy}); a stage that
 * others wait for signals after each batch through {@link #release}. Idle stages therefore cost
 * nothing, and a busy pipeline wakes each stage once per batch of work.
 *
 * <p>Disruptor's blocking strategies busy-spin while the previous stage works (they block only on
 * the cursor), which on 2 cores took the CPU the intake needs; its {@code SleepingWaitStrategy}
 * polls every ~50 µs and yields in between, which cost more than 20 context switches and about 100
 * µs of kernel time per order at 5,000 orders/s. A timed wait of {@link #SAFETY_NET_MILLIS} bounds
 * the effect of a missed signal (none is known).
 *
 * <p>Thread-safe: any number of waiting stages and signalling threads.
 */
final class StageSignallingWaitStrategy implements WaitStrategy {
  /** Busy-spin iterations before blocking. */
  static final int SPINS = 100;

  /** The longest a waiting stage sleeps without a signal. */
  static final long SAFETY_NET_MILLIS = 2;

  private final Object mutex = new Object();
  private final AtomicBoolean signalNeeded = new AtomicBoolean();

  @Override
  public long waitFor(
      long sequence, Sequence cursor, Sequence dependentSequence, SequenceBarrier barrier)
      throws AlertException, InterruptedException {
    long available;
    int spins = SPINS;
    while ((available = dependentSequence.get()) < sequence) {
      barrier.checkAlert();
      if (spins > 0) {
        spins--;
        Thread.onSpinWait();
        continue;
      }
      synchronized (mutex) {
        signalNeeded.set(true); // before the re-check, so a release after it will notify
        if ((available = dependentSequence.get()) >= sequence) {
          break;
        }
        barrier.checkAlert();
        mutex.wait(SAFETY_NET_MILLIS);
      }
    }
    return available;
  }

  @Override
  public void signalAllWhenBlocking() {
    if (signalNeeded.getAndSet(false)) {
      synchronized (mutex) {
        mutex.notifyAll();
      }
    }
  }

  /**
   * Called by a stage at the end of a batch: publishes its progress early (before the batch
   * processor does) and wakes the stages waiting for it.
   *
   * @param progress the stage's sequence callback
   * @param sequence the last sequence it has processed
   */
  void release(Sequence progress, long sequence) {
    progress.set(sequence);
    signalAllWhenBlocking();
  }
}
