package io.zkperp.gateway;

/**
 * The gateway's settings. Immutable; any thread.
 *
 * @param host the address to bind
 * @param port the TCP port (0 = any free port, see {@link GatewayServer#port()})
 * @param maxRequestBytes the largest accepted HTTP body; larger is answered HTTP 413 with a
 *     JSON-RPC error {@code REQUEST_TOO_LARGE} and the connection is closed
 * @param maxBatch the most requests in one JSON-RPC batch
 * @param maxInFlight the most commands waiting for the sequencer (at most its ring size)
 * @param commandTimeoutMillis how long a command waits for the sequencer before {@code TIMEOUT}
 * @param ioThreads Netty event-loop threads (parsing, dispatch, reads of the read model)
 * @param verifyThreads threads that verify cancel signatures
 * @param ipRatePerSecond JSON-RPC calls per second per client IP (a batch counts its size)
 * @param ipBurst calls a client IP may make at once
 * @param accountRatePerSecond commands (orders, cancels) per second per account
 * @param accountBurst commands an account may send at once
 */
public record GatewayConfig(
    String host,
    int port,
    int maxRequestBytes,
    int maxBatch,
    int maxInFlight,
    long commandTimeoutMillis,
    int ioThreads,
    int verifyThreads,
    double ipRatePerSecond,
    int ipBurst,
    double accountRatePerSecond,
    int accountBurst) {

  /**
   * The defaults on a port: 127.0.0.1, 64 KiB bodies, batches of 100, 4096 commands in flight, 10 s
   * timeout, 2 I/O threads, 2 verifier threads.
   *
   * @param port the port (0 = any free port)
   * @return the configuration
   */
  public static GatewayConfig defaults(int port) {
    return new GatewayConfig(
        "127.0.0.1", port, 64 * 1024, 100, 4096, 10_000, 2, 2, 2000, 4000, 200, 400);
  }

  /**
   * A copy with other limits for the request body, batch and commands in flight.
   *
   * @param maxRequestBytes the body limit
   * @param maxBatch the batch limit
   * @param maxInFlight the in-flight limit
   * @return the copy
   */
  public GatewayConfig withLimits(int maxRequestBytes, int maxBatch, int maxInFlight) {
    return new GatewayConfig(
        host,
        port,
        maxRequestBytes,
        maxBatch,
        maxInFlight,
        commandTimeoutMillis,
        ioThreads,
        verifyThreads,
        ipRatePerSecond,
        ipBurst,
        accountRatePerSecond,
        accountBurst);
  }

  /**
   * A copy with other rate limits.
   *
   * @param ipRate calls per second per IP
   * @param ipBurstSize burst per IP
   * @param accountRate commands per second per account
   * @param accountBurstSize burst per account
   * @return the copy
   */
  public GatewayConfig withRateLimits(
      double ipRate, int ipBurstSize, double accountRate, int accountBurstSize) {
    return new GatewayConfig(
        host,
        port,
        maxRequestBytes,
        maxBatch,
        maxInFlight,
        commandTimeoutMillis,
        ioThreads,
        verifyThreads,
        ipRate,
        ipBurstSize,
        accountRate,
        accountBurstSize);
  }

  /**
   * A copy bound to another host.
   *
   * @param newHost the address to bind
   * @return the copy
   */
  public GatewayConfig withHost(String newHost) {
    return new GatewayConfig(
        newHost,
        port,
        maxRequestBytes,
        maxBatch,
        maxInFlight,
        commandTimeoutMillis,
        ioThreads,
        verifyThreads,
        ipRatePerSecond,
        ipBurst,
        accountRatePerSecond,
        accountBurst);
  }

  /**
   * Checks the values.
   *
   * @param host the address to bind
   * @param port the port
   * @param maxRequestBytes the body limit
   * @param maxBatch the batch limit
   * @param maxInFlight the in-flight limit
   * @param commandTimeoutMillis the command timeout
   * @param ioThreads the event-loop threads
   * @param verifyThreads the verifier threads
   * @param ipRatePerSecond calls per second per IP
   * @param ipBurst burst per IP
   * @param accountRatePerSecond commands per second per account
   * @param accountBurst burst per account
   */
  public GatewayConfig {
    if (port < 0
        || port > 65_535
        || maxRequestBytes < 1
        || maxBatch < 1
        || maxInFlight < 1
        || commandTimeoutMillis < 1
        || ioThreads < 1
        || verifyThreads < 1
        || !(ipRatePerSecond > 0)
        || ipBurst < 1
        || !(accountRatePerSecond > 0)
        || accountBurst < 1) {
      throw new IllegalArgumentException("invalid gateway configuration");
    }
  }
}
