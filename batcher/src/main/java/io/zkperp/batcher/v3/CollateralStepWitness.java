package io.zkperp.batcher.v3;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.state.v2.AccountLeafUpdateV2;
import io.zkperp.state.v2.StateRootsV2;
import java.util.List;
import java.util.Objects;

/**
 * An executed collateral transaction with what its step circuit opens, in the step's order (the
 * account; for a transfer the sender, then the receiver with its path taken after the sender's
 * update), each with the roots before and after; the step's public-data bytes
 * (docs/batch-format.md, "Format v3 (draft): collateral steps"); and, for a deposit and a forced
 * withdrawal, the priority operation it consumes; what the format v3 witness encoding needs besides
 * ({@code io.zkperp.batcher.v3.witness.CollateralStepElements}): a forced withdrawal's "covers"
 * claim, the deployment the execution verified signatures for and the markets tree the step read
 * (its margin table). Immutable (the bytes are copied); any thread.
 *
 * @param transaction the transaction
 * @param openings the account openings, one or two, chaining from the old roots to the new
 * @param publicData the step's public data, type byte first
 * @param priorityOperation the hash of the L1 priority operation consumed, or null for a signed
 *     transaction
 * @param paid the amount debited (a forced withdrawal not covered pays 0), 0 for credits
 * @param covers for a forced withdrawal, whether its free collateral covered the amount (it is paid
 *     then); false for the other types
 * @param domain the deployment the execution ran for (signatures verified in it), or null when not
 *     recorded
 * @param markets the markets tree the step read (its margin table), or null when not recorded
 */
public record CollateralStepWitness(
    CollateralTransaction transaction,
    List<AccountLeafUpdateV2> openings,
    byte[] publicData,
    Fr priorityOperation,
    long paid,
    boolean covers,
    MessageDomain domain,
    MarketsTreeSnapshot markets)
    implements ExecutedStep {
  /**
   * A witness without the forced withdrawal's claim, the domain or the markets tree.
   *
   * @param transaction the transaction
   * @param openings the account openings
   * @param publicData the step's public data
   * @param priorityOperation the priority operation consumed, or null
   * @param paid the amount debited
   */
  public CollateralStepWitness(
      CollateralTransaction transaction,
      List<AccountLeafUpdateV2> openings,
      byte[] publicData,
      Fr priorityOperation,
      long paid) {
    this(transaction, openings, publicData, priorityOperation, paid, false, null, null);
  }

  /** Copies the openings and bytes and validates them. */
  public CollateralStepWitness {
    Objects.requireNonNull(transaction, "transaction");
    openings = List.copyOf(openings);
    if (openings.isEmpty()) {
      throw new IllegalArgumentException("a step opens at least one account");
    }
    publicData = Objects.requireNonNull(publicData, "publicData").clone();
  }

  /**
   * The public-data bytes.
   *
   * @return a copy
   */
  @Override
  public byte[] publicData() {
    return publicData.clone();
  }

  /**
   * This witness with the execution's deployment and the markets tree the step read.
   *
   * @param domain the deployment
   * @param markets the markets tree
   * @return a copy with both recorded
   */
  public CollateralStepWitness executedIn(MessageDomain domain, MarketsTreeSnapshot markets) {
    return new CollateralStepWitness(
        transaction,
        openings,
        publicData,
        priorityOperation,
        paid,
        covers,
        Objects.requireNonNull(domain, "domain"),
        Objects.requireNonNull(markets, "markets"));
  }

  /**
   * The roots before the step.
   *
   * @return the first opening's roots before
   */
  public StateRootsV2 rootsBefore() {
    return openings.get(0).rootsBefore();
  }

  /**
   * The roots after the step.
   *
   * @return the last opening's roots after
   */
  public StateRootsV2 rootsAfter() {
    return openings.get(openings.size() - 1).rootsAfter();
  }

  /**
   * Whether every opening is consistent, each one's roots before are the previous one's after, and
   * the markets tree (where recorded) is the one under the roots.
   *
   * @return true if the openings chain from the old roots to the new
   */
  public boolean isConsistent() {
    if (markets != null && !markets.root().equals(rootsBefore().marketsRoot())) {
      return false;
    }
    for (int i = 0; i < openings.size(); i++) {
      AccountLeafUpdateV2 u = openings.get(i);
      if (!u.isConsistent()
          || (i > 0 && !u.rootsBefore().equals(openings.get(i - 1).rootsAfter()))) {
        return false;
      }
    }
    return true;
  }
}
