package io.zkperp.bench.node;

import io.zkperp.l1.DevAccounts;
import io.zkperp.l1.L1Exception;
import io.zkperp.l1.L1Session;
import io.zkperp.l1.RollupDeployment;
import io.zkperp.l1.contracts.TestUSD;
import io.zkperp.l1.contracts.ZkPerpRollupV3;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import java.math.BigInteger;
import org.web3j.crypto.Credentials;

/**
 * Funds a run's accounts on L1 through the web3j wrappers: the depositor ({@link
 * RunAccounts#DEPOSITOR}) mints TestUSD with its public faucet (one call per account: the faucet's
 * limit is one deposit), approves the rollup once, then deposits {@link RunAccounts#DEPOSIT} to
 * each new account in id order, bound to the account's key. Stateless; the controlling thread.
 */
final class L1Funding {
  private L1Funding() {}

  /**
   * Funds every account of {@code accounts}.
   *
   * @param l1 the session
   * @param d the deployment
   * @param accounts the run's accounts
   * @throws L1Exception a transaction failed, or the rollup's next account id was not the one the
   *     run expects
   */
  static void fund(L1Session l1, RollupDeployment d, RunAccounts accounts) {
    Credentials who = DevAccounts.account(RunAccounts.DEPOSITOR);
    TestUSD token = TestUSD.load(d.collateral(), l1.web3j(), l1.transactionManager(who), l1.gas());
    ZkPerpRollupV3 rollup =
        ZkPerpRollupV3.load(d.rollup(), l1.web3j(), l1.transactionManager(who), l1.gas());
    BigInteger each = BigInteger.valueOf(RunAccounts.DEPOSIT);
    for (int i = 0; i < accounts.count(); i++) {
      l1.send(who.getAddress(), d.collateral(), token.faucet(each), "faucet");
    }
    l1.send(
        who.getAddress(),
        d.collateral(),
        token.approve(d.rollup(), each.multiply(BigInteger.valueOf(accounts.count()))),
        "approve");
    for (int a = RunAccounts.MAKER; a < RunAccounts.MAKER + accounts.count(); a++) {
      long next;
      try {
        next = rollup.nextAccountId().send().longValueExact();
      } catch (Exception e) {
        throw new L1Exception("reading nextAccountId failed: " + e.getMessage(), e);
      }
      if (next != a) {
        throw new L1Exception(
            "the rollup's next account id is " + next + ", the run expects " + a, null);
      }
      EdDsaPrivateKey key = RunAccounts.key(a);
      l1.send(
          who.getAddress(),
          d.rollup(),
          rollup.deposit(
              BigInteger.valueOf(a),
              key.publicKey().point().x().toBigInteger(),
              key.publicKey().point().y().toBigInteger(),
              each),
          "deposit to account " + a);
    }
  }
}
