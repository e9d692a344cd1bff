package io.zkperp.batcher;

import io.zkperp.protocol.eddsa.EdDsa;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.message.TransactionMessages;
import io.zkperp.protocol.state.L1Address;
import java.util.Arrays;

/** Deterministic test holders, as the Go generator's batch.TestKey / batch.TestOwner. */
final class TestAccounts {
  private TestAccounts() {}

  static EdDsaPrivateKey key(int holder) {
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) (holder + 1));
    return EdDsaPrivateKey.fromSeed(seed);
  }

  static L1Address owner(int holder) {
    byte[] a = new byte[20];
    a[0] = (byte) 0xaa;
    a[19] = (byte) holder;
    return L1Address.of(a);
  }

  static L2Transaction.Deposit deposit(int account, int holder, long amount) {
    return new L2Transaction.Deposit(account, owner(holder), key(holder).publicKey(), amount);
  }

  static L2Transaction.Withdrawal withdrawal(int account, int holder, long amount, long nonce) {
    byte[] sig =
        EdDsa.sign(
                key(holder), TransactionMessages.withdrawal(account, owner(holder), amount, nonce))
            .encode();
    return new L2Transaction.Withdrawal(account, amount, nonce, new SignatureBytes(sig));
  }

  static L2Transaction.Transfer transfer(int from, int to, int holder, long amount, long nonce) {
    byte[] sig =
        EdDsa.sign(key(holder), TransactionMessages.transfer(from, to, amount, nonce)).encode();
    return new L2Transaction.Transfer(from, to, amount, nonce, new SignatureBytes(sig));
  }
}
