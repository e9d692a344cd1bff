package io.zkperp.bench.node;

import io.zkperp.gateway.node.GatewayNode;
import io.zkperp.l1.DevAccounts;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.sequencer.command.CreditL1Deposit;
import java.util.ArrayList;
import java.util.List;

/**
 * The L2 accounts of a run: the market maker is account {@link #MAKER} (the rollup's first account
 * id), the traders the next {@code traders} ids; every account is a deposit of {@link #DEPOSIT} by
 * the L1 development account {@link #DEPOSITOR}, bound to the demo key of its id ({@link
 * GatewayNode#demoKey}). On the settling node they are real L1 deposits in id order (priority index
 * = id − 1); the node without L1 is given the same deposits as the same engine commands. Immutable;
 * any thread.
 *
 * @param traders the number of trader accounts (≥ 1)
 */
record RunAccounts(int traders) {
  /** The market maker's account: the rollup's first account id. */
  static final int MAKER = 1;

  /** Each account's deposit, collateral quanta (1,000,000 tUSD: TestUSD's faucet limit). */
  static final long DEPOSIT = 1_000_000_000_000L;

  /** The L1 development account that deposits for every account (and owns them on L1). */
  static final int DEPOSITOR = 2;

  /** Checks the count. */
  RunAccounts {
    if (traders < 1 || traders > 200) {
      throw new IllegalArgumentException(
          "traders must be 1 to 200 (demo keys repeat after 255), got " + traders);
    }
  }

  /** Accounts in all (maker and traders). */
  int count() {
    return traders + 1;
  }

  /** The i-th trader's account id, i from 0. */
  int trader(int i) {
    return MAKER + 1 + i;
  }

  /** The key an account signs with. */
  static EdDsaPrivateKey key(int account) {
    return GatewayNode.demoKey(account);
  }

  /** The L1 owner of every account. */
  static L1Address owner() {
    return L1Address.fromHex(DevAccounts.account(DEPOSITOR).getAddress());
  }

  /**
   * The deposits as the engine credits them, in priority order: what the settling node's watcher
   * submits for the L1 deposits, and what the node without L1 is given.
   *
   * @return one command per account
   */
  List<CreditL1Deposit> credits() {
    List<CreditL1Deposit> out = new ArrayList<>();
    for (int a = MAKER; a < MAKER + count(); a++) {
      EdDsaPrivateKey k = key(a);
      out.add(
          new CreditL1Deposit(
              a - MAKER,
              a,
              owner(),
              k.publicKey().point().x(),
              k.publicKey().point().y(),
              DEPOSIT));
    }
    return out;
  }
}
