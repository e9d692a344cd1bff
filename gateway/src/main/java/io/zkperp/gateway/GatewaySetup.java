package io.zkperp.gateway;

import io.zkperp.gateway.bridge.ReadModel;
import io.zkperp.protocol.eddsa.JavaSignatureVerifier;
import io.zkperp.protocol.eddsa.SignatureVerifier;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.sequencer.core.SequencerCore;
import io.zkperp.sequencer.journal.JournalWriter;
import io.zkperp.sequencer.journal.SnapshotStore;
import io.zkperp.sequencer.journal.Snapshotter;
import io.zkperp.sequencer.pipeline.PublicKeyDirectory;
import io.zkperp.sequencer.pipeline.Sequencer;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * What {@link Gateway#start} wires together, by name. Build with {@link #builder}: the core, the
 * journal and the key directory are required, everything else has a default. Immutable once built
 * (the parts themselves are live objects the gateway takes over); any thread.
 *
 * @param config the gateway settings
 * @param core the core (empty, or recovered with {@link #readModel} built from the same journal)
 * @param journal the journal, positioned after the core's last record
 * @param snapshots the snapshot store, or null (default)
 * @param snapshotEvery snapshot period in commands (0 = never, the default)
 * @param keys the accounts' public keys (orders are verified by the sequencer's intake, cancels by
 *     the gateway)
 * @param intakeThreads the sequencer's parallel decode/verify threads (default 2)
 * @param ringSize the sequencer's ring size, a power of two ≥ {@code config.maxInFlight()} (default
 *     8192)
 * @param clockSeconds unix time in seconds, for cancels' validity windows (default the system
 *     clock)
 * @param readModel the read model matching the core; {@code new ReadModel(risk.config())} when the
 *     core has a risk engine, so that accounts carry margin figures (default an empty one without)
 * @param signatures verifies order signatures on the sequencer's intake threads and cancel
 *     signatures on the gateway's verifier threads (default the Java verifier; see {@code
 *     node.SignatureVerifiers})
 * @param snapshotter when and how the sequencer takes snapshots (with the read model as their read
 *     side), or null (default); excludes {@code snapshots}. The caller closes it after the gateway
 * @param domain the deployment whose orders, cancels and oracle reports are accepted (default
 *     {@link MessageDomain#DEMO})
 * @param acceptedSink receives every accepted command on the journal thread (default: none), see
 *     {@link io.zkperp.gateway.bridge.SequencerBridge.AcceptedSink}
 * @param settlementMethods handlers of the settlement methods ({@code perp_withdraw}, {@code
 *     perp_transfer}, {@code perp_getBatch}, {@code perp_getSettlement}) given by a settling node;
 *     a method without one answers {@code SETTLEMENT_NOT_AVAILABLE} (default: none)
 * @param health what {@code GET /health} reports (default {@link HealthCheck#NONE}: always up); a
 *     settling node plugs in its stages' checks
 */
public record GatewaySetup(
    GatewayConfig config,
    SequencerCore core,
    JournalWriter journal,
    SnapshotStore snapshots,
    long snapshotEvery,
    PublicKeyDirectory keys,
    int intakeThreads,
    int ringSize,
    LongSupplier clockSeconds,
    ReadModel readModel,
    SignatureVerifier signatures,
    Snapshotter snapshotter,
    MessageDomain domain,
    io.zkperp.gateway.bridge.SequencerBridge.AcceptedSink acceptedSink,
    java.util.List<io.zkperp.gateway.rpc.RpcHandler> settlementMethods,
    HealthCheck health) {

  /**
   * Checks the parts.
   *
   * @param config see the record
   * @param core see the record
   * @param journal see the record
   * @param snapshots see the record
   * @param snapshotEvery see the record
   * @param keys see the record
   * @param intakeThreads see the record
   * @param ringSize see the record
   * @param clockSeconds see the record
   * @param readModel see the record
   * @param signatures see the record
   * @param snapshotter see the record
   * @param domain see the record
   * @param acceptedSink see the record
   * @param settlementMethods see the record
   * @param health see the record
   * @throws IllegalArgumentException if a count is out of range, the ring is smaller than the
   *     commands allowed in flight, or both a snapshot store and a snapshotter are given
   */
  public GatewaySetup {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(core, "core");
    Objects.requireNonNull(journal, "journal");
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(clockSeconds, "clockSeconds");
    Objects.requireNonNull(readModel, "readModel");
    Objects.requireNonNull(signatures, "signatures");
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(acceptedSink, "acceptedSink");
    settlementMethods = java.util.List.copyOf(settlementMethods);
    Objects.requireNonNull(health, "health");
    if (snapshotEvery < 0 || intakeThreads < 1) {
      throw new IllegalArgumentException(
          "snapshotEvery must be ≥ 0 and intakeThreads ≥ 1, got "
              + snapshotEvery
              + " and "
              + intakeThreads);
    }
    if (snapshotter != null && snapshots != null) {
      throw new IllegalArgumentException("give a snapshot store or a snapshotter, not both");
    }
    if (ringSize < config.maxInFlight()) {
      throw new IllegalArgumentException(
          "ringSize " + ringSize + " < maxInFlight " + config.maxInFlight());
    }
  }

  /**
   * A builder with the required parts and every default.
   *
   * @param config the gateway settings
   * @param core the core
   * @param journal the journal, positioned after the core's last record
   * @param keys the accounts' public keys
   * @return the builder
   */
  public static Builder builder(
      GatewayConfig config, SequencerCore core, JournalWriter journal, PublicKeyDirectory keys) {
    return new Builder(config, core, journal, keys);
  }

  /** Builds a {@link GatewaySetup}. One thread. */
  public static final class Builder {
    private final GatewayConfig config;
    private final SequencerCore core;
    private final JournalWriter journal;
    private final PublicKeyDirectory keys;
    private SnapshotStore snapshots;
    private long snapshotEvery;
    private Snapshotter snapshotter;
    private int intakeThreads = 2;
    private int ringSize = 8192;
    private LongSupplier clockSeconds = () -> System.currentTimeMillis() / 1000;
    private ReadModel readModel;
    private SignatureVerifier signatures;
    private MessageDomain domain = MessageDomain.DEMO;
    private io.zkperp.gateway.bridge.SequencerBridge.AcceptedSink acceptedSink =
        (seq, command, events) -> {};
    private java.util.List<io.zkperp.gateway.rpc.RpcHandler> settlementMethods =
        java.util.List.of();
    private HealthCheck health = HealthCheck.NONE;

    private Builder(
        GatewayConfig config, SequencerCore core, JournalWriter journal, PublicKeyDirectory keys) {
      this.config = config;
      this.core = core;
      this.journal = journal;
      this.keys = keys;
    }

    /**
     * Sets the snapshot store and period.
     *
     * @param store the store, or null
     * @param every snapshot period in commands (0 = never)
     * @return this builder
     */
    public Builder snapshots(SnapshotStore store, long every) {
      this.snapshots = store;
      this.snapshotEvery = every;
      return this;
    }

    /**
     * Sets the sequencer's intake threads.
     *
     * @param threads decode/verify threads
     * @return this builder
     */
    public Builder intakeThreads(int threads) {
      this.intakeThreads = threads;
      return this;
    }

    /**
     * Sets the sequencer's ring size.
     *
     * @param size a power of two ≥ {@code config.maxInFlight()}
     * @return this builder
     */
    public Builder ringSize(int size) {
      this.ringSize = size;
      return this;
    }

    /**
     * Sets the clock of cancels' validity windows.
     *
     * @param clock unix time in seconds
     * @return this builder
     */
    public Builder clockSeconds(LongSupplier clock) {
      this.clockSeconds = clock;
      return this;
    }

    /**
     * Sets the read model.
     *
     * @param model the read model matching the core
     * @return this builder
     */
    public Builder readModel(ReadModel model) {
      this.readModel = model;
      return this;
    }

    /**
     * Sets the signature verifier.
     *
     * @param verifier the verifier of orders and cancels
     * @return this builder
     */
    public Builder signatures(SignatureVerifier verifier) {
      this.signatures = verifier;
      return this;
    }

    /**
     * Sets the snapshotter (instead of {@link #snapshots}).
     *
     * @param value the snapshotter; the caller closes it after the gateway
     * @return this builder
     */
    public Builder snapshotter(Snapshotter value) {
      this.snapshotter = value;
      return this;
    }

    /**
     * Sets the receiver of every accepted command (the settlement's feed).
     *
     * @param sink called on the journal thread, in journal order
     * @return this builder
     */
    public Builder acceptedSink(io.zkperp.gateway.bridge.SequencerBridge.AcceptedSink sink) {
      this.acceptedSink = sink;
      return this;
    }

    /**
     * Sets the deployment's signed-message domain.
     *
     * @param messageDomain the chain id and rollup address messages must be signed for
     * @return this builder
     */
    public Builder domain(MessageDomain messageDomain) {
      this.domain = messageDomain;
      return this;
    }

    /**
     * Sets the handlers of the settlement methods (a settling node).
     *
     * @param handlers one handler per settlement method it serves
     * @return this builder
     */
    public Builder settlementMethods(java.util.List<io.zkperp.gateway.rpc.RpcHandler> handlers) {
      this.settlementMethods = handlers;
      return this;
    }

    /**
     * Sets what {@code GET /health} reports (a settling node: its stages' checks).
     *
     * @param check called on a Netty thread for each request; must not block
     * @return this builder
     */
    public Builder health(HealthCheck check) {
      this.health = check;
      return this;
    }

    /**
     * Builds the setup.
     *
     * @return the setup
     * @throws IllegalArgumentException if a value is out of range
     */
    public GatewaySetup build() {
      return new GatewaySetup(
          config,
          core,
          journal,
          snapshots,
          snapshotEvery,
          keys,
          intakeThreads,
          ringSize,
          clockSeconds,
          readModel != null ? readModel : new ReadModel(),
          signatures != null ? signatures : new JavaSignatureVerifier(Sequencer.KEY_TABLES),
          snapshotter,
          domain,
          acceptedSink,
          settlementMethods,
          health);
    }
  }
}
