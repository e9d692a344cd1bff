package io.zkperp.state;

import io.zkperp.protocol.state.Account;
import io.zkperp.protocol.state.Fill;
import io.zkperp.protocol.state.GlobalState;
import io.zkperp.protocol.state.Market;
import io.zkperp.protocol.state.Position;
import java.util.Comparator;
import java.util.Objects;

/**
 * One changed leaf: its address and its record before and after. In a {@link StateDiff} the
 * "before" is the value at the previous version (the first old value seen in the batch) and the
 * "after" the value at this version (the last new value); leaves set back to their old value are
 * not listed. In an {@link UpdateWitness} it is the change made by that one update.
 *
 * <p>Immutable; any thread.
 */
public sealed interface LeafChange
    permits LeafChange.AccountChange,
        LeafChange.PositionChange,
        LeafChange.FillChange,
        LeafChange.MarketChange,
        LeafChange.GlobalChange {
  /** Diff order: by kind (declaration order of {@link LeafKind}), then account, then index. */
  Comparator<LeafChange> ORDER =
      Comparator.comparing(LeafChange::kind)
          .thenComparingInt(LeafChange::account)
          .thenComparingLong(LeafChange::index);

  /**
   * The kind of leaf.
   *
   * @return kind
   */
  LeafKind kind();

  /**
   * The account owning the leaf (the account itself for an account leaf), 0 for markets and the
   * global leaf.
   *
   * @return account id
   */
  int account();

  /**
   * The leaf index in its tree (account id, market id, fill slot), 0 for the global leaf.
   *
   * @return index
   */
  long index();

  /**
   * An account leaf's own fields changed.
   *
   * @param account account id
   * @param before fields before, null if the account did not exist
   * @param after fields after
   */
  record AccountChange(int account, Account before, Account after) implements LeafChange {
    /** Validates that after is present. */
    public AccountChange {
      Objects.requireNonNull(after, "after");
    }

    @Override
    public LeafKind kind() {
      return LeafKind.ACCOUNT;
    }

    @Override
    public long index() {
      return account;
    }
  }

  /**
   * A position changed ({@link Position#NONE} stands for no position).
   *
   * @param account account id
   * @param market market id
   * @param before position before
   * @param after position after
   */
  record PositionChange(int account, int market, Position before, Position after)
      implements LeafChange {
    /** Validates that both are present. */
    public PositionChange {
      Objects.requireNonNull(before, "before");
      Objects.requireNonNull(after, "after");
    }

    @Override
    public LeafKind kind() {
      return LeafKind.POSITION;
    }

    @Override
    public long index() {
      return market;
    }
  }

  /**
   * A fill slot changed.
   *
   * @param account account id
   * @param slot fill slot (order nonce mod 2^16)
   * @param before fill before, null if the slot was empty
   * @param after fill after
   */
  record FillChange(int account, int slot, Fill before, Fill after) implements LeafChange {
    /** Validates that after is present. */
    public FillChange {
      Objects.requireNonNull(after, "after");
    }

    @Override
    public LeafKind kind() {
      return LeafKind.FILL;
    }

    @Override
    public long index() {
      return slot;
    }
  }

  /**
   * A market changed.
   *
   * @param market market id
   * @param before market before, null if it was not listed
   * @param after market after
   */
  record MarketChange(int market, Market before, Market after) implements LeafChange {
    /** Validates that after is present. */
    public MarketChange {
      Objects.requireNonNull(after, "after");
    }

    @Override
    public LeafKind kind() {
      return LeafKind.MARKET;
    }

    @Override
    public int account() {
      return 0;
    }

    @Override
    public long index() {
      return market;
    }
  }

  /**
   * The global leaf changed.
   *
   * @param before value before
   * @param after value after
   */
  record GlobalChange(GlobalState before, GlobalState after) implements LeafChange {
    /** Validates that both are present. */
    public GlobalChange {
      Objects.requireNonNull(before, "before");
      Objects.requireNonNull(after, "after");
    }

    @Override
    public LeafKind kind() {
      return LeafKind.GLOBAL;
    }

    @Override
    public int account() {
      return 0;
    }

    @Override
    public long index() {
      return 0;
    }
  }
}
