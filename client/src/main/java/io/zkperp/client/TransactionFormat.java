package io.zkperp.client;

import io.zkperp.protocol.eddsa.EdDsa;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.message.TransactionMessages;
import io.zkperp.protocol.message.TransferMessage;
import io.zkperp.protocol.message.WithdrawalMessage;
import io.zkperp.protocol.state.L1Address;

/**
 * The signed-message format a settling node takes withdrawals and transfers in, as its {@code
 * perp_getDomain} says ({@code transactionFormatVersion}): {@link #FORMAT_1} on a node that settles
 * format v2 batches (the batcher's {@link TransactionMessages}, no domain), {@link #FORMAT_2} on a
 * node that settles format v3 batches (the protocol's {@link WithdrawalMessage} and {@link
 * TransferMessage} in the node's {@link MessageDomain}). Stateless; any thread.
 */
public enum TransactionFormat {
  /** Format 1: no domain; what format v2 batches prove. */
  FORMAT_1,
  /** Format 2: in the deployment's domain; what format v3 batches prove. */
  FORMAT_2;

  /**
   * The format of a version number.
   *
   * @param version {@code transactionFormatVersion} from {@code perp_getDomain}: 1 or 2
   * @return the format
   * @throws IllegalArgumentException for another number
   */
  public static TransactionFormat of(int version) {
    return switch (version) {
      case 1 -> FORMAT_1;
      case MessageDomain.FORMAT_VERSION -> FORMAT_2;
      default ->
          throw new IllegalArgumentException(
              "unknown withdrawal and transfer format " + version + " (this client signs 1 or 2)");
    };
  }

  /**
   * The version number, as {@code perp_getDomain} reports it.
   *
   * @return 1 or 2
   */
  public int version() {
    return ordinal() + 1;
  }

  /**
   * Signs a withdrawal to the account's bound L1 owner.
   *
   * @param key the account's key
   * @param domain the node's domain (not signed in format 1)
   * @param account the account
   * @param owner its L1 owner, whom L1 pays
   * @param amount collateral quanta
   * @param nonce the account's next transaction nonce
   * @return the 64 signature bytes
   */
  public byte[] signWithdrawal(
      EdDsaPrivateKey key,
      MessageDomain domain,
      int account,
      L1Address owner,
      long amount,
      long nonce) {
    return switch (this) {
      case FORMAT_1 ->
          EdDsa.sign(key, TransactionMessages.withdrawal(account, owner, amount, nonce)).encode();
      case FORMAT_2 -> new WithdrawalMessage(account, owner, amount, nonce).sign(key, domain);
    };
  }

  /**
   * Signs a transfer.
   *
   * @param key the sender's key
   * @param domain the node's domain (not signed in format 1)
   * @param from the sender
   * @param to the receiver
   * @param amount collateral quanta
   * @param nonce the sender's next transaction nonce
   * @return the 64 signature bytes
   */
  public byte[] signTransfer(
      EdDsaPrivateKey key, MessageDomain domain, int from, int to, long amount, long nonce) {
    return switch (this) {
      case FORMAT_1 ->
          EdDsa.sign(key, TransactionMessages.transfer(from, to, amount, nonce)).encode();
      case FORMAT_2 -> new TransferMessage(from, to, amount, nonce).sign(key, domain);
    };
  }
}
