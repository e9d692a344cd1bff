package io.zkperp.l1;

import io.zkperp.batcher.L2Transaction;
import io.zkperp.batcher.SignatureBytes;
import io.zkperp.l1.contracts.ZkPerpRollup;
import io.zkperp.protocol.eddsa.EdDsa;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.message.TransactionMessages;
import io.zkperp.protocol.state.L1Address;
import java.math.BigInteger;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * What the L1 and node tests do as a user: an L1 deposit to an L2 key, and signed L2 transfers and
 * withdrawals. Stateless; any thread (a session's sends from one thread).
 */
public final class L2Fixtures {
  private L2Fixtures() {}

  /**
   * Deposits {@code amount} to {@code account} under {@code key} from {@code who} (who must have
   * approved the rollup for the amount).
   *
   * @param l1 the session
   * @param d the deployment
   * @param who the depositor
   * @param key the account's L2 key
   * @param account the L2 account
   * @param amount collateral quanta
   * @return the receipt
   */
  public static TransactionReceipt deposit(
      L1Session l1,
      RollupDeployment d,
      Credentials who,
      EdDsaPrivateKey key,
      long account,
      long amount) {
    ZkPerpRollup r =
        ZkPerpRollup.load(d.rollup(), l1.web3j(), l1.transactionManager(who), l1.gas());
    return l1.send(
        who.getAddress(),
        d.rollup(),
        r.deposit(
            BigInteger.valueOf(account),
            key.publicKey().point().x().toBigInteger(),
            key.publicKey().point().y().toBigInteger(),
            BigInteger.valueOf(amount)),
        "deposit");
  }

  /**
   * A transfer signed by the sender's key.
   *
   * @param key the sender's key
   * @param from the sender
   * @param to the receiver
   * @param amount collateral quanta
   * @param nonce the sender's nonce
   * @return the transaction
   */
  public static L2Transaction.Transfer transfer(
      EdDsaPrivateKey key, int from, int to, long amount, long nonce) {
    byte[] sig = EdDsa.sign(key, TransactionMessages.transfer(from, to, amount, nonce)).encode();
    return new L2Transaction.Transfer(from, to, amount, nonce, new SignatureBytes(sig));
  }

  /**
   * A withdrawal to the account's L1 owner, signed by the account's key.
   *
   * @param key the account's key
   * @param account the account
   * @param owner its L1 owner
   * @param amount collateral quanta
   * @param nonce the account's nonce
   * @return the transaction
   */
  public static L2Transaction.Withdrawal withdrawal(
      EdDsaPrivateKey key, int account, Credentials owner, long amount, long nonce) {
    byte[] sig =
        EdDsa.sign(
                key,
                TransactionMessages.withdrawal(
                    account, L1Address.fromHex(owner.getAddress()), amount, nonce))
            .encode();
    return new L2Transaction.Withdrawal(account, amount, nonce, new SignatureBytes(sig));
  }
}
