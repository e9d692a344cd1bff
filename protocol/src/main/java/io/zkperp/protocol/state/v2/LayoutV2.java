package io.zkperp.protocol.state.v2;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.hash.Poseidon2;
import io.zkperp.protocol.state.StateLayout;

/**
 * Constants of state layout version 2: tree depths, bounds and domain tags, and the state root.
 *
 * <p>Immutable; any thread.
 */
public final class LayoutV2 {
  /** Layout version of this package. */
  public static final int VERSION = 2;

  /** Depth of the accounts tree: 2^24 accounts, the last one the insurance fund. */
  public static final int ACCOUNTS_DEPTH = 24;

  /** Depth of each account's fills tree: 4,096 slots indexed by order nonce mod 2^12. */
  public static final int FILLS_DEPTH = 12;

  /** Depth of the markets tree: 64 markets. */
  public static final int MARKETS_DEPTH = 6;

  /** Depth of the oracle-signer tree: 16 slots. */
  public static final int ORACLE_SIGNERS_DEPTH = 4;

  /** The insurance fund's account id, 2^24 − 1; traders' ids are below it. */
  public static final long INSURANCE_FUND_ACCOUNT = (1L << ACCOUNTS_DEPTH) - 1;

  /** Number of position entries of an account: the bound on its open positions. */
  public static final int MAX_POSITIONS = 8;

  /** Number of fee tiers. */
  public static final int FEE_TIERS = 8;

  /** Number of oracle-signer slots. */
  public static final int ORACLE_SIGNER_SLOTS = 1 << ORACLE_SIGNERS_DEPTH;

  /** Tag of account leaves: {@code zkperp/account/v2}. */
  public static final Fr TAG_ACCOUNT = StateLayout.tag("zkperp/account/v2");

  /** Tag of the account identity hash: {@code zkperp/account-identity/v2}. */
  public static final Fr TAG_ACCOUNT_IDENTITY = StateLayout.tag("zkperp/account-identity/v2");

  /** Tag of fill leaves: {@code zkperp/fill/v2}. */
  public static final Fr TAG_FILL = StateLayout.tag("zkperp/fill/v2");

  /** Tag of market leaves: {@code zkperp/market/v2}. */
  public static final Fr TAG_MARKET = StateLayout.tag("zkperp/market/v2");

  /** Tag of the market risk hash: {@code zkperp/market-risk/v2}. */
  public static final Fr TAG_MARKET_RISK = StateLayout.tag("zkperp/market-risk/v2");

  /** Tag of the global leaf: {@code zkperp/global/v2}. */
  public static final Fr TAG_GLOBAL = StateLayout.tag("zkperp/global/v2");

  /** Tag of oracle-signer leaves: {@code zkperp/oracle-signer/v2}. */
  public static final Fr TAG_ORACLE_SIGNER = StateLayout.tag("zkperp/oracle-signer/v2");

  /** Tag of the fee-tier hash: {@code zkperp/fee-tiers/v2}. */
  public static final Fr TAG_FEE_TIERS = StateLayout.tag("zkperp/fee-tiers/v2");

  /** Tag of the state root: {@code zkperp/state/v2}. */
  public static final Fr TAG_STATE = StateLayout.tag("zkperp/state/v2");

  private LayoutV2() {}

  /**
   * The fills-tree slot of an order nonce: nonce mod 2^12.
   *
   * @param orderNonce the order's nonce (unsigned)
   * @return the slot in [0, 4095]
   */
  public static int fillSlot(long orderNonce) {
    return (int) (orderNonce & ((1L << FILLS_DEPTH) - 1));
  }

  /**
   * {@code H(TAG_STATE_V2, accountsRoot, marketsRoot, globalLeaf)}.
   *
   * @param accountsRoot root of the accounts tree
   * @param marketsRoot root of the markets tree
   * @param globalLeaf the global leaf hash
   * @return the state root
   */
  public static Fr stateRoot(Fr accountsRoot, Fr marketsRoot, Fr globalLeaf) {
    return Poseidon2.hash(TAG_STATE, accountsRoot, marketsRoot, globalLeaf);
  }
}
