package io.zkperp.gateway;

/**
 * The gateway's settings. Immutable; any thread. Build with {@link #builder()} (every value has a
 * default) or start from {@link #defaults(int)}; {@link #toBuilder()} changes a few.
 *
 * @param host the address to bind
 * @param port the TCP port (0 = any free port, see {@link GatewayServer#port()})
 * @param maxRequestBytes the largest accepted HTTP body or WebSocket message (its fragments
 *     together); a larger body is answered HTTP 413 with a JSON-RPC error {@code REQUEST_TOO_LARGE}
 *     and the connection is closed, a larger WebSocket message is closed 1009
 * @param maxBatch the most requests in one JSON-RPC batch
 * @param maxInFlight the most commands waiting for the sequencer (at most its ring size)
 * @param commandTimeoutMillis how long a command waits for the sequencer before {@code TIMEOUT}
 * @param ioThreads Netty event-loop threads (parsing, dispatch, reads of the read model)
 * @param verifyThreads threads that verify cancel signatures
 * @param ipRatePerSecond JSON-RPC calls per second per client IP (a batch counts its size)
 * @param ipBurst calls a client IP may make at once
 * @param accountRatePerSecond commands (orders, cancels) per second per account
 * @param accountBurst commands an account may send at once
 * @param idleTimeoutMillis a connection that neither sends nor receives anything for this long is
 *     closed (a WebSocket with close status 1001 "idle timeout"); WebSocket clients that only
 *     listen to a quiet stream send pings
 * @param requestTimeoutMillis an HTTP request must arrive whole (headers and body) within this time
 *     of its first byte, else it is answered HTTP 408 with the JSON-RPC error {@code
 *     REQUEST_TIMEOUT} and the connection is closed (slow senders)
 * @param maxConnections the most open connections in all; one more is answered HTTP 503 with the
 *     JSON-RPC error {@code TOO_MANY_CONNECTIONS} and closed
 * @param maxConnectionsPerIp the most open connections from one client IP address (same answer)
 * @param maxPipelinedRequests the most HTTP requests of one connection being processed at once;
 *     later pipelined requests wait, and the connection is not read while they do
 * @param maxSubscriptionsPerConnection the most live subscriptions of one WebSocket connection; one
 *     more is refused with the JSON-RPC error {@code TOO_MANY_SUBSCRIPTIONS}
 * @param writeBufferLowBytes a connection whose unsent replies fell to this many bytes is read
 *     again
 * @param writeBufferHighBytes a connection with this many bytes of unsent replies is not read until
 *     they drain to the low mark (HTTP) or is closed as a slow consumer (WebSocket)
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
    int accountBurst,
    long idleTimeoutMillis,
    long requestTimeoutMillis,
    int maxConnections,
    int maxConnectionsPerIp,
    int maxPipelinedRequests,
    int maxSubscriptionsPerConnection,
    int writeBufferLowBytes,
    int writeBufferHighBytes) {

  /**
   * The defaults on a port: 127.0.0.1, 64 KiB bodies, batches of 100, 4096 commands in flight, 10 s
   * timeout, 2 I/O threads, 2 verifier threads, and the connection limits of {@link Builder}.
   *
   * @param port the port (0 = any free port)
   * @return the configuration
   */
  public static GatewayConfig defaults(int port) {
    return builder().port(port).build();
  }

  /**
   * A builder with every default. Any thread.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding this configuration's values.
   *
   * @return the builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.host = host;
    b.port = port;
    b.maxRequestBytes = maxRequestBytes;
    b.maxBatch = maxBatch;
    b.maxInFlight = maxInFlight;
    b.commandTimeoutMillis = commandTimeoutMillis;
    b.ioThreads = ioThreads;
    b.verifyThreads = verifyThreads;
    b.ipRatePerSecond = ipRatePerSecond;
    b.ipBurst = ipBurst;
    b.accountRatePerSecond = accountRatePerSecond;
    b.accountBurst = accountBurst;
    b.idleTimeoutMillis = idleTimeoutMillis;
    b.requestTimeoutMillis = requestTimeoutMillis;
    b.maxConnections = maxConnections;
    b.maxConnectionsPerIp = maxConnectionsPerIp;
    b.maxPipelinedRequests = maxPipelinedRequests;
    b.maxSubscriptionsPerConnection = maxSubscriptionsPerConnection;
    b.writeBufferLowBytes = writeBufferLowBytes;
    b.writeBufferHighBytes = writeBufferHighBytes;
    return b;
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
    return toBuilder()
        .maxRequestBytes(maxRequestBytes)
        .maxBatch(maxBatch)
        .maxInFlight(maxInFlight)
        .build();
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
    return toBuilder()
        .ipRatePerSecond(ipRate)
        .ipBurst(ipBurstSize)
        .accountRatePerSecond(accountRate)
        .accountBurst(accountBurstSize)
        .build();
  }

  /**
   * A copy bound to another host.
   *
   * @param newHost the address to bind
   * @return the copy
   */
  public GatewayConfig withHost(String newHost) {
    return toBuilder().host(newHost).build();
  }

  /**
   * Checks the values.
   *
   * @param host see the record
   * @param port see the record
   * @param maxRequestBytes see the record
   * @param maxBatch see the record
   * @param maxInFlight see the record
   * @param commandTimeoutMillis see the record
   * @param ioThreads see the record
   * @param verifyThreads see the record
   * @param ipRatePerSecond see the record
   * @param ipBurst see the record
   * @param accountRatePerSecond see the record
   * @param accountBurst see the record
   * @param idleTimeoutMillis see the record
   * @param requestTimeoutMillis see the record
   * @param maxConnections see the record
   * @param maxConnectionsPerIp see the record
   * @param maxPipelinedRequests see the record
   * @param maxSubscriptionsPerConnection see the record
   * @param writeBufferLowBytes see the record
   * @param writeBufferHighBytes see the record
   * @throws IllegalArgumentException naming the first value out of range
   */
  public GatewayConfig {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host must be an address to bind");
    }
    check(port >= 0 && port <= 65_535, "port must be 0 to 65535", port);
    check(maxRequestBytes >= 1, "maxRequestBytes must be ≥ 1", maxRequestBytes);
    check(maxBatch >= 1, "maxBatch must be ≥ 1", maxBatch);
    check(maxInFlight >= 1, "maxInFlight must be ≥ 1", maxInFlight);
    check(commandTimeoutMillis >= 1, "commandTimeoutMillis must be ≥ 1", commandTimeoutMillis);
    check(ioThreads >= 1, "ioThreads must be ≥ 1", ioThreads);
    check(verifyThreads >= 1, "verifyThreads must be ≥ 1", verifyThreads);
    check(ipRatePerSecond > 0, "ipRatePerSecond must be > 0", ipRatePerSecond);
    check(ipBurst >= 1, "ipBurst must be ≥ 1", ipBurst);
    check(accountRatePerSecond > 0, "accountRatePerSecond must be > 0", accountRatePerSecond);
    check(accountBurst >= 1, "accountBurst must be ≥ 1", accountBurst);
    check(idleTimeoutMillis >= 1, "idleTimeoutMillis must be ≥ 1", idleTimeoutMillis);
    check(requestTimeoutMillis >= 1, "requestTimeoutMillis must be ≥ 1", requestTimeoutMillis);
    check(maxConnections >= 1, "maxConnections must be ≥ 1", maxConnections);
    check(
        maxConnectionsPerIp >= 1 && maxConnectionsPerIp <= maxConnections,
        "maxConnectionsPerIp must be 1 to maxConnections",
        maxConnectionsPerIp);
    check(maxPipelinedRequests >= 1, "maxPipelinedRequests must be ≥ 1", maxPipelinedRequests);
    check(
        maxSubscriptionsPerConnection >= 1,
        "maxSubscriptionsPerConnection must be ≥ 1",
        maxSubscriptionsPerConnection);
    check(
        writeBufferLowBytes >= 1 && writeBufferLowBytes <= writeBufferHighBytes,
        "writeBufferLowBytes must be 1 to writeBufferHighBytes",
        writeBufferLowBytes);
  }

  private static void check(boolean ok, String rule, Object value) {
    if (!ok) {
      throw new IllegalArgumentException(
          "invalid gateway configuration: " + rule + ", got " + value);
    }
  }

  /** Builds a {@link GatewayConfig}; starts from the defaults. One thread. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = 0;
    private int maxRequestBytes = 64 * 1024;
    private int maxBatch = 100;
    private int maxInFlight = 4096;
    private long commandTimeoutMillis = 10_000;
    private int ioThreads = 2;
    private int verifyThreads = 2;
    private double ipRatePerSecond = 2000;
    private int ipBurst = 4000;
    private double accountRatePerSecond = 200;
    private int accountBurst = 400;
    private long idleTimeoutMillis = 120_000;
    private long requestTimeoutMillis = 10_000;
    private int maxConnections = 768;
    private int maxConnectionsPerIp = 128;
    private int maxPipelinedRequests = 128;
    private int maxSubscriptionsPerConnection = 64;
    private int writeBufferLowBytes = 256 * 1024;
    private int writeBufferHighBytes = 1024 * 1024;

    private Builder() {}

    /**
     * Sets {@code host}.
     *
     * @param value the address to bind
     * @return this builder
     */
    public Builder host(String value) {
      this.host = value;
      return this;
    }

    /**
     * Sets {@code port}.
     *
     * @param value the TCP port (0 = any free port, see {@link GatewayServer#port()})
     * @return this builder
     */
    public Builder port(int value) {
      this.port = value;
      return this;
    }

    /**
     * Sets {@code maxRequestBytes}.
     *
     * @param value the largest accepted HTTP body or WebSocket message (its fragments together); a
     *     larger body is answered HTTP 413 with a JSON-RPC error {@code REQUEST_TOO_LARGE} and the
     *     connection is closed, a larger WebSocket message is closed 1009
     * @return this builder
     */
    public Builder maxRequestBytes(int value) {
      this.maxRequestBytes = value;
      return this;
    }

    /**
     * Sets {@code maxBatch}.
     *
     * @param value the most requests in one JSON-RPC batch
     * @return this builder
     */
    public Builder maxBatch(int value) {
      this.maxBatch = value;
      return this;
    }

    /**
     * Sets {@code maxInFlight}.
     *
     * @param value the most commands waiting for the sequencer (at most its ring size)
     * @return this builder
     */
    public Builder maxInFlight(int value) {
      this.maxInFlight = value;
      return this;
    }

    /**
     * Sets {@code commandTimeoutMillis}.
     *
     * @param value how long a command waits for the sequencer before {@code TIMEOUT}
     * @return this builder
     */
    public Builder commandTimeoutMillis(long value) {
      this.commandTimeoutMillis = value;
      return this;
    }

    /**
     * Sets {@code ioThreads}.
     *
     * @param value Netty event-loop threads (parsing, dispatch, reads of the read model)
     * @return this builder
     */
    public Builder ioThreads(int value) {
      this.ioThreads = value;
      return this;
    }

    /**
     * Sets {@code verifyThreads}.
     *
     * @param value threads that verify cancel signatures
     * @return this builder
     */
    public Builder verifyThreads(int value) {
      this.verifyThreads = value;
      return this;
    }

    /**
     * Sets {@code ipRatePerSecond}.
     *
     * @param value JSON-RPC calls per second per client IP (a batch counts its size)
     * @return this builder
     */
    public Builder ipRatePerSecond(double value) {
      this.ipRatePerSecond = value;
      return this;
    }

    /**
     * Sets {@code ipBurst}.
     *
     * @param value calls a client IP may make at once
     * @return this builder
     */
    public Builder ipBurst(int value) {
      this.ipBurst = value;
      return this;
    }

    /**
     * Sets {@code accountRatePerSecond}.
     *
     * @param value commands (orders, cancels) per second per account
     * @return this builder
     */
    public Builder accountRatePerSecond(double value) {
      this.accountRatePerSecond = value;
      return this;
    }

    /**
     * Sets {@code accountBurst}.
     *
     * @param value commands an account may send at once
     * @return this builder
     */
    public Builder accountBurst(int value) {
      this.accountBurst = value;
      return this;
    }

    /**
     * Sets {@code idleTimeoutMillis}.
     *
     * @param value a connection that neither sends nor receives anything for this long is closed (a
     *     WebSocket with close status 1001 "idle timeout"); WebSocket clients that only listen to a
     *     quiet stream send pings
     * @return this builder
     */
    public Builder idleTimeoutMillis(long value) {
      this.idleTimeoutMillis = value;
      return this;
    }

    /**
     * Sets {@code requestTimeoutMillis}.
     *
     * @param value an HTTP request must arrive whole (headers and body) within this time of its
     *     first byte, else it is answered HTTP 408 with the JSON-RPC error {@code REQUEST_TIMEOUT}
     *     and the connection is closed (slow senders)
     * @return this builder
     */
    public Builder requestTimeoutMillis(long value) {
      this.requestTimeoutMillis = value;
      return this;
    }

    /**
     * Sets {@code maxConnections}.
     *
     * @param value the most open connections in all; one more is answered HTTP 503 with the
     *     JSON-RPC error {@code TOO_MANY_CONNECTIONS} and closed
     * @return this builder
     */
    public Builder maxConnections(int value) {
      this.maxConnections = value;
      return this;
    }

    /**
     * Sets {@code maxConnectionsPerIp}.
     *
     * @param value the most open connections from one client IP address (same answer)
     * @return this builder
     */
    public Builder maxConnectionsPerIp(int value) {
      this.maxConnectionsPerIp = value;
      return this;
    }

    /**
     * Sets {@code maxPipelinedRequests}.
     *
     * @param value the most HTTP requests of one connection being processed at once; later
     *     pipelined requests wait, and the connection is not read while they do
     * @return this builder
     */
    public Builder maxPipelinedRequests(int value) {
      this.maxPipelinedRequests = value;
      return this;
    }

    /**
     * Sets {@code maxSubscriptionsPerConnection}.
     *
     * @param value the most live subscriptions of one WebSocket connection; one more is refused
     *     with the JSON-RPC error {@code TOO_MANY_SUBSCRIPTIONS}
     * @return this builder
     */
    public Builder maxSubscriptionsPerConnection(int value) {
      this.maxSubscriptionsPerConnection = value;
      return this;
    }

    /**
     * Sets {@code writeBufferLowBytes}.
     *
     * @param value a connection whose unsent replies fell to this many bytes is read again
     * @return this builder
     */
    public Builder writeBufferLowBytes(int value) {
      this.writeBufferLowBytes = value;
      return this;
    }

    /**
     * Sets {@code writeBufferHighBytes}.
     *
     * @param value a connection with this many bytes of unsent replies is not read until they drain
     *     to the low mark (HTTP) or is closed as a slow consumer (WebSocket)
     * @return this builder
     */
    public Builder writeBufferHighBytes(int value) {
      this.writeBufferHighBytes = value;
      return this;
    }

    /**
     * Builds the configuration.
     *
     * @return the configuration
     * @throws IllegalArgumentException if a value is out of range
     */
    public GatewayConfig build() {
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
          accountBurst,
          idleTimeoutMillis,
          requestTimeoutMillis,
          maxConnections,
          maxConnectionsPerIp,
          maxPipelinedRequests,
          maxSubscriptionsPerConnection,
          writeBufferLowBytes,
          writeBufferHighBytes);
    }
  }
}
