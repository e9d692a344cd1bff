package io.zkperp.batcher.v3.ticks;

import io.zkperp.batcher.v3.ExecutedStep;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.state.v2.GlobalV2;
import io.zkperp.state.v2.MarketUpdateV2;
import io.zkperp.state.v2.StateRootsV2;
import java.util.List;
import java.util.Objects;

/**
 * An executed tick step with what its step circuit opens: the global leaf (read, not changed: its
 * signer set and quorum for an oracle tick; its hash for the others) and the market leaf before and
 * after with its 6-level path and the roots before and after; and the step whose public data the
 * circuit commits to; and what the format v3 witness encoding reads besides ({@code
 * io.zkperp.batcher.v3.witness.TickStepElements}): an oracle tick's reports, the deployment they
 * were verified in and the tick's batch time T. Immutable; any thread.
 *
 * @param step the step (public data and the leaf rebuild)
 * @param global the global leaf the step opens
 * @param market the market leaf's update
 * @param reports an oracle tick's reports as the tick carried them; empty for the other steps
 * @param domain the deployment the execution ran for, or null when not recorded
 * @param batchTime the batch time T the step was checked against, or -1 when not recorded
 */
public record TickWitness(
    TickStep step,
    GlobalV2 global,
    MarketUpdateV2 market,
    List<SignedPriceReport> reports,
    MessageDomain domain,
    long batchTime)
    implements ExecutedStep {
  /**
   * A witness without the reports, the domain or the batch time.
   *
   * @param step the step
   * @param global the global leaf
   * @param market the market leaf's update
   */
  public TickWitness(TickStep step, GlobalV2 global, MarketUpdateV2 market) {
    this(step, global, market, List.of(), null, -1);
  }

  /** Validates that every part is present and copies the reports. */
  public TickWitness {
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(global, "global");
    Objects.requireNonNull(market, "market");
    reports = List.copyOf(reports);
  }

  /**
   * The step's public data, type byte first ({@code docs/perp-circuit.md} §10).
   *
   * @return a new array
   */
  public byte[] publicData() {
    return step.publicData();
  }

  /**
   * The roots before the step.
   *
   * @return the market opening's roots before
   */
  public StateRootsV2 rootsBefore() {
    return market.rootsBefore();
  }

  /**
   * The roots after the step.
   *
   * @return the market opening's roots after
   */
  public StateRootsV2 rootsAfter() {
    return market.rootsAfter();
  }

  /**
   * Whether the market opening is consistent, the global leaf is the one the roots hold, and the
   * leaf after is the one the public data rebuilds from the leaf before.
   *
   * @return true if consistent
   */
  public boolean isConsistent() {
    return market.isConsistent()
        && market.marketId() == step.market()
        && global.leafHash().equals(market.rootsBefore().globalLeaf())
        && step.applyTo(market.before()).equals(market.after());
  }
}
