package io.zkperp.gateway.methods;

import io.zkperp.protocol.field.Fr;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes every signed cancel usable once. A cancel message is spent when its signature has verified;
 * the same message (same account, target, validUntil) is then refused until its {@code validUntil}
 * has passed, after which the validity window refuses it anyway. Memory is bounded by the window:
 * entries are dropped once expired.
 *
 * <p>Across a restart the spent set is empty, so a gateway that started on a non-empty journal
 * refuses every cancel whose {@code validUntil} is at or before {@code notAfterStart} (its start
 * time + the longest window): such a cancel may have been signed, and used, before the restart. A
 * client that sets {@code validUntil = now + 300} is never affected; one that uses shorter windows
 * gets {@code CANCEL_VALIDITY_OUT_OF_WINDOW} for at most 300 s after a restart.
 *
 * <p>Thread-safe: called from the verifier threads.
 */
public final class CancelReplayGuard {
  private static final int PURGE_EVERY = 1024;

  private final long refusedUpTo;
  private final ConcurrentHashMap<Fr, Long> spent = new ConcurrentHashMap<>();
  private final AtomicLong inserts = new AtomicLong();

  /**
   * A guard.
   *
   * @param refusedUpTo cancels with {@code validUntil ≤ refusedUpTo} are refused ({@link
   *     Long#MIN_VALUE} for a gateway that started on an empty journal)
   */
  public CancelReplayGuard(long refusedUpTo) {
    this.refusedUpTo = refusedUpTo;
  }

  /**
   * The restart horizon.
   *
   * @return cancels with {@code validUntil} at or below it are refused
   */
  public long refusedUpTo() {
    return refusedUpTo;
  }

  /**
   * Spends a verified cancel message.
   *
   * @param hash the message hash
   * @param validUntil its validUntil
   * @param now the gateway's clock, unix seconds
   * @return true the first time, false for a replay
   */
  public boolean spend(Fr hash, long validUntil, long now) {
    if (inserts.incrementAndGet() % PURGE_EVERY == 0) {
      spent.values().removeIf(until -> until <= now);
    }
    return spent.putIfAbsent(hash, validUntil) == null;
  }

  /**
   * The number of messages remembered (for tests and metrics).
   *
   * @return the size of the spent set
   */
  public int size() {
    return spent.size();
  }
}
