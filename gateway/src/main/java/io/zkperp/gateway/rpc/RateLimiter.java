package io.zkperp.gateway.rpc;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Token buckets by key (a client IP, an account): each key may spend {@code burst} tokens at once
 * and gets {@code ratePerSecond} back per second. When more than {@code maxKeys} keys are tracked,
 * the full buckets (idle keys) are dropped, so memory stays bounded by the active keys. Any thread.
 *
 * @param <K> the key type
 */
public final class RateLimiter<K> {
  private static final class Bucket {
    double tokens;
    long lastNanos;
  }

  private final double ratePerSecond;
  private final double burst;
  private final int maxKeys;
  private final LongSupplier nanoClock;
  private final Map<K, Bucket> buckets = new ConcurrentHashMap<>();

  /**
   * A limiter.
   *
   * @param ratePerSecond tokens refilled per second (&gt; 0)
   * @param burst bucket size (≥ 1)
   * @param maxKeys keys tracked before idle ones are dropped
   * @param nanoClock a monotonic clock in nanoseconds ({@code System::nanoTime})
   */
  public RateLimiter(double ratePerSecond, double burst, int maxKeys, LongSupplier nanoClock) {
    if (!(ratePerSecond > 0) || !(burst >= 1) || maxKeys < 1) {
      throw new IllegalArgumentException("invalid rate limit");
    }
    this.ratePerSecond = ratePerSecond;
    this.burst = burst;
    this.maxKeys = maxKeys;
    this.nanoClock = nanoClock;
  }

  /**
   * Whether the key's bucket holds at least {@code cost} tokens now; spends nothing. With {@link
   * #charge} this lets a caller refuse early and pay only for work that turned out to be the key
   * owner's (a verified signature).
   *
   * @param key the key
   * @param cost the tokens needed (≥ 1)
   * @return true if the bucket holds them
   */
  public boolean hasTokens(K key, int cost) {
    Bucket b = bucket(key);
    synchronized (b) {
      refill(b);
      return b.tokens >= cost;
    }
  }

  /**
   * Spends {@code cost} tokens unconditionally, for work already done: the bucket may go into debt
   * (down to −burst), which later refills pay back before anything else is allowed.
   *
   * @param key the key
   * @param cost the tokens to spend (≥ 1)
   */
  public void charge(K key, int cost) {
    Bucket b = bucket(key);
    synchronized (b) {
      refill(b);
      b.tokens = Math.max(-burst, b.tokens - cost);
    }
  }

  /**
   * Spends {@code cost} tokens of the key's bucket if it has them.
   *
   * @param key the key
   * @param cost the tokens to spend (≥ 1)
   * @return true if allowed (tokens spent), false if over the limit (nothing spent)
   */
  public boolean tryAcquire(K key, int cost) {
    Bucket b = bucket(key);
    synchronized (b) {
      refill(b);
      if (b.tokens < cost) {
        return false;
      }
      b.tokens -= cost;
      return true;
    }
  }

  private Bucket bucket(K key) {
    if (buckets.size() > maxKeys) {
      evictIdle();
    }
    return buckets.computeIfAbsent(
        key,
        k -> {
          Bucket n = new Bucket();
          n.tokens = burst;
          n.lastNanos = nanoClock.getAsLong();
          return n;
        });
  }

  private void refill(Bucket b) {
    long now = nanoClock.getAsLong();
    b.tokens = Math.min(burst, b.tokens + (now - b.lastNanos) * ratePerSecond / 1e9);
    b.lastNanos = now;
  }

  private void evictIdle() {
    buckets
        .entrySet()
        .removeIf(
            e -> {
              synchronized (e.getValue()) {
                refill(e.getValue());
                return e.getValue().tokens >= burst;
              }
            });
  }

  /**
   * A description for error messages.
   *
   * @return e.g. "100.0 per second, burst 200"
   */
  public String describe() {
    return ratePerSecond + " per second, burst " + (long) burst;
  }
}
