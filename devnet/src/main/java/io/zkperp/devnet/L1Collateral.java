package io.zkperp.devnet;

import io.zkperp.l1.L1Exception;
import io.zkperp.l1.L1Session;
import io.zkperp.l1.RollupDeployment;
import io.zkperp.l1.contracts.TestUSD;
import io.zkperp.l1.contracts.ZkPerpRollup;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import java.math.BigInteger;
import java.util.Objects;
import org.web3j.crypto.Credentials;

/**
 * The devnet's L1 collateral moves, through the web3j wrappers: the faucet (TestUSD's public {@code
 * faucet} into a funder account, then an ERC-20 transfer to the requested address, in chunks of
 * {@link #FAUCET_LIMIT}) and a trader's deposit (approve, then {@code deposit} to a new L2 account
 * bound to the trader's L2 key). Stateless; a session's sends for one account from one thread at a
 * time.
 */
final class L1Collateral {
  /** TestUSD's most per faucet call: 1,000,000 tUSD (6 decimals). */
  static final BigInteger FAUCET_LIMIT = BigInteger.valueOf(1_000_000_000_000L);

  private L1Collateral() {}

  /**
   * Mints {@code amount} TestUSD to {@code to}.
   *
   * @param l1 the session
   * @param d the deployment
   * @param funder the account that calls the faucet and transfers (pays the gas)
   * @param to the receiving L1 address
   * @param amount collateral quanta (10^-6 tUSD), &gt; 0
   * @throws L1Exception if a transaction fails
   */
  static void faucet(
      L1Session l1, RollupDeployment d, Credentials funder, String to, BigInteger amount) {
    Objects.requireNonNull(to, "to");
    if (amount.signum() <= 0) {
      throw new IllegalArgumentException("amount must be > 0, got " + amount);
    }
    TestUSD token =
        TestUSD.load(d.collateral(), l1.web3j(), l1.transactionManager(funder), l1.gas());
    BigInteger left = amount;
    while (left.signum() > 0) {
      BigInteger chunk = left.min(FAUCET_LIMIT);
      l1.send(funder.getAddress(), d.collateral(), token.faucet(chunk), "faucet");
      if (!funder.getAddress().equalsIgnoreCase(to)) {
        l1.send(funder.getAddress(), d.collateral(), token.transfer(to, chunk), "transfer");
      }
      left = left.subtract(chunk);
    }
  }

  /**
   * Approves the rollup and deposits {@code amount} to a new L2 account bound to {@code key} and
   * owned by {@code who}. The node credits it after its confirmations.
   *
   * @param l1 the session
   * @param d the deployment
   * @param who the depositor (holds the tokens, pays the gas, owns the account on L1)
   * @param key the account's L2 key
   * @param amount collateral quanta, &gt; 0
   * @return the new L2 account id
   * @throws L1Exception if a transaction fails (a revert is decoded)
   */
  static long depositToNewAccount(
      L1Session l1, RollupDeployment d, Credentials who, EdDsaPrivateKey key, long amount) {
    ZkPerpRollup rollup =
        ZkPerpRollup.load(d.rollup(), l1.web3j(), l1.transactionManager(who), l1.gas());
    long account;
    try {
      account = rollup.nextAccountId().send().longValueExact();
    } catch (Exception e) {
      throw new L1Exception("reading nextAccountId failed: " + e.getMessage(), e);
    }
    deposit(l1, d, who, key, account, amount);
    return account;
  }

  /**
   * Approves the rollup and deposits {@code amount} to {@code account} (new: the rollup's next
   * account id; existing: bound to {@code who} and {@code key}).
   *
   * @param l1 the session
   * @param d the deployment
   * @param who the depositor
   * @param key the account's L2 key
   * @param account the L2 account
   * @param amount collateral quanta, &gt; 0
   * @throws L1Exception if a transaction fails (a revert is decoded)
   */
  static void deposit(
      L1Session l1,
      RollupDeployment d,
      Credentials who,
      EdDsaPrivateKey key,
      long account,
      long amount) {
    TestUSD token = TestUSD.load(d.collateral(), l1.web3j(), l1.transactionManager(who), l1.gas());
    ZkPerpRollup rollup =
        ZkPerpRollup.load(d.rollup(), l1.web3j(), l1.transactionManager(who), l1.gas());
    l1.send(
        who.getAddress(),
        d.collateral(),
        token.approve(d.rollup(), BigInteger.valueOf(amount)),
        "approve");
    l1.send(
        who.getAddress(),
        d.rollup(),
        rollup.deposit(
            BigInteger.valueOf(account),
            key.publicKey().point().x().toBigInteger(),
            key.publicKey().point().y().toBigInteger(),
            BigInteger.valueOf(amount)),
        "deposit");
  }

  /**
   * The ERC-20 balance of an address.
   *
   * @param l1 the session
   * @param d the deployment
   * @param owner the address
   * @return the balance in collateral quanta
   * @throws L1Exception if the call fails
   */
  static BigInteger balanceOf(L1Session l1, RollupDeployment d, String owner) {
    TestUSD token =
        TestUSD.load(
            d.collateral(), l1.web3j(), l1.transactionManager(Credentials.create("0x1")), l1.gas());
    try {
      return token.balanceOf(owner).send();
    } catch (Exception e) {
      throw new L1Exception("balanceOf failed: " + e.getMessage(), e);
    }
  }
}
