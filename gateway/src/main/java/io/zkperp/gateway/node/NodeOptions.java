package io.zkperp.gateway.node;

import io.zkperp.gateway.GatewayConfig;
import io.zkperp.protocol.message.MessageDomain;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Everything {@link GatewayNode#open} needs, by name. Build with {@link #builder}: only the data
 * directory is required. Immutable; any thread.
 *
 * @param dataDir the data directory (holds the journal segments, the snapshots and the lock file;
 *     created if absent)
 * @param config the gateway settings (default {@link GatewayConfig#defaults} on port 0: any free
 *     port)
 * @param clockSeconds unix time in seconds: the feed's timestamps and ticks, cancels' windows. The
 *     feed submits only when this has moved past its last step, so a fixed clock gives one step at
 *     start and nothing after (default the system clock)
 * @param feedIntervalMillis the price feed period; 0 = no feed thread, only the step at start
 *     (default {@link GatewayNode#DEFAULT_FEED_INTERVAL_MILLIS})
 * @param demoAccounts demo accounts 0 … demoAccounts−1, 1 to 100,000 (default {@link
 *     GatewayNode#DEMO_ACCOUNTS}). They are funded when the journal is empty; a node restarted with
 *     more accounts than it was set up with registers the extra keys without collateral
 * @param signatures which verifier the order intake uses (default {@link SignatureVerifiers#AUTO})
 * @param durability journal segments and snapshots (default {@link DurabilityOptions#defaults})
 * @param domain the deployment orders, cancels and oracle reports are signed for: chain id and
 *     rollup address (default {@link MessageDomain#DEMO}: 31337 and {@link
 *     MessageDomain#DEMO_ROLLUP_ADDRESS})
 */
public record NodeOptions(
    Path dataDir,
    GatewayConfig config,
    LongSupplier clockSeconds,
    long feedIntervalMillis,
    int demoAccounts,
    SignatureVerifiers signatures,
    DurabilityOptions durability,
    MessageDomain domain) {

  /**
   * Checks the options.
   *
   * @param dataDir see the record
   * @param config see the record
   * @param clockSeconds see the record
   * @param feedIntervalMillis see the record
   * @param demoAccounts see the record
   * @param signatures see the record
   * @param durability see the record
   * @param domain see the record
   * @throws IllegalArgumentException naming the value out of range
   */
  public NodeOptions {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(clockSeconds, "clockSeconds");
    Objects.requireNonNull(signatures, "signatures");
    Objects.requireNonNull(durability, "durability");
    Objects.requireNonNull(domain, "domain");
    if (demoAccounts < 1 || demoAccounts > 100_000) {
      throw new IllegalArgumentException("demoAccounts must be 1 to 100,000, got " + demoAccounts);
    }
    if (feedIntervalMillis < 0) {
      throw new IllegalArgumentException(
          "feedIntervalMillis must be ≥ 0 (0: no feed thread), got " + feedIntervalMillis);
    }
  }

  /**
   * A builder with every default.
   *
   * @param dataDir the data directory
   * @return the builder
   */
  public static Builder builder(Path dataDir) {
    return new Builder(dataDir);
  }

  /** Builds {@link NodeOptions}. One thread. */
  public static final class Builder {
    private final Path dataDir;
    private GatewayConfig config = GatewayConfig.defaults(0);
    private LongSupplier clockSeconds = () -> System.currentTimeMillis() / 1000;
    private long feedIntervalMillis = GatewayNode.DEFAULT_FEED_INTERVAL_MILLIS;
    private int demoAccounts = GatewayNode.DEMO_ACCOUNTS;
    private SignatureVerifiers signatures = SignatureVerifiers.AUTO;
    private DurabilityOptions durability = DurabilityOptions.defaults();
    private MessageDomain domain = MessageDomain.DEMO;

    private Builder(Path dataDir) {
      this.dataDir = dataDir;
    }

    /**
     * Sets the gateway settings.
     *
     * @param value the settings
     * @return this builder
     */
    public Builder config(GatewayConfig value) {
      this.config = value;
      return this;
    }

    /**
     * Sets the node clock.
     *
     * @param value unix time in seconds
     * @return this builder
     */
    public Builder clockSeconds(LongSupplier value) {
      this.clockSeconds = value;
      return this;
    }

    /**
     * Sets the price feed period.
     *
     * @param value milliseconds; 0 = no feed thread
     * @return this builder
     */
    public Builder feedIntervalMillis(long value) {
      this.feedIntervalMillis = value;
      return this;
    }

    /**
     * Sets the number of demo accounts.
     *
     * @param value 1 to 100,000
     * @return this builder
     */
    public Builder demoAccounts(int value) {
      this.demoAccounts = value;
      return this;
    }

    /**
     * Sets the order signature verifier.
     *
     * @param value the choice
     * @return this builder
     */
    public Builder signatures(SignatureVerifiers value) {
      this.signatures = value;
      return this;
    }

    /**
     * Sets how the journal and snapshots are kept.
     *
     * @param value the options
     * @return this builder
     */
    public Builder durability(DurabilityOptions value) {
      this.durability = value;
      return this;
    }

    /**
     * Sets the signed-message domain.
     *
     * @param value the chain id and rollup address
     * @return this builder
     */
    public Builder domain(MessageDomain value) {
      this.domain = value;
      return this;
    }

    /**
     * Builds the options.
     *
     * @return the options
     * @throws IllegalArgumentException if a value is out of range
     */
    public NodeOptions build() {
      return new NodeOptions(
          dataDir,
          config,
          clockSeconds,
          feedIntervalMillis,
          demoAccounts,
          signatures,
          durability,
          domain);
    }
  }
}
