package io.zkperp.sequencer.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.hash.Poseidon2;
import io.zkperp.sequencer.OrderType;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.TriggerType;
import java.math.BigInteger;
import java.util.HashSet;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class SignedOrderMessageTest {
  private static PlaceOrder order(
      int account,
      int market,
      Side side,
      long size,
      long price,
      long feeCap,
      long expiry,
      long nonce) {
    return new PlaceOrder(
        account,
        market,
        side,
        0,
        OrderType.LIMIT,
        TimeInForce.GTC,
        false,
        size,
        price,
        feeCap,
        expiry,
        nonce,
        TriggerType.NONE,
        0,
        new byte[PlaceOrder.SIGNATURE_BYTES]);
  }

  @Test
  void packsTheSignedFieldsBigEndianUnderTheTag() {
    PlaceOrder o = order(0x01020304, 0xA0B0, Side.SELL, 7, -1, 9, 0x1122334455667788L, 42);
    Fr[] f = SignedOrderMessage.fields(o);
    assertThat(f).hasSize(SignedOrderMessage.FIELDS);
    // e0 = "ordr" ‖ account ‖ market ‖ side ‖ nonce ‖ expiry, written out by hand
    assertThat(f[0].toBigInteger())
        .isEqualTo(
            new BigInteger(
                "6f726472" + "01020304" + "a0b0" + "01" + "000000000000002a" + "1122334455667788",
                16));
    // e1 = size ‖ price (−1 as its unsigned pattern) ‖ feeCap
    assertThat(f[1].toBigInteger())
        .isEqualTo(
            new BigInteger("0000000000000007" + "ffffffffffffffff" + "0000000000000009", 16));
    assertThat(SignedOrderMessage.hash(o)).isEqualTo(Poseidon2.hash(f[0], f[1]));
  }

  @Property(tries = 200)
  void everySignedFieldChangesTheHash(
      @ForAll int account, @ForAll long size, @ForAll long price, @ForAll long nonce) {
    PlaceOrder base = order(account, 3, Side.BUY, size, price, 0, 100, nonce);
    Set<Fr> hashes = new HashSet<>();
    hashes.add(SignedOrderMessage.hash(base));
    hashes.add(
        SignedOrderMessage.hash(order(account ^ 1, 3, Side.BUY, size, price, 0, 100, nonce)));
    hashes.add(SignedOrderMessage.hash(order(account, 2, Side.BUY, size, price, 0, 100, nonce)));
    hashes.add(SignedOrderMessage.hash(order(account, 3, Side.SELL, size, price, 0, 100, nonce)));
    hashes.add(
        SignedOrderMessage.hash(order(account, 3, Side.BUY, size ^ 1, price, 0, 100, nonce)));
    hashes.add(
        SignedOrderMessage.hash(order(account, 3, Side.BUY, size, price ^ 1, 0, 100, nonce)));
    hashes.add(SignedOrderMessage.hash(order(account, 3, Side.BUY, size, price, 1, 100, nonce)));
    hashes.add(SignedOrderMessage.hash(order(account, 3, Side.BUY, size, price, 0, 101, nonce)));
    hashes.add(
        SignedOrderMessage.hash(order(account, 3, Side.BUY, size, price, 0, 100, nonce ^ 1)));
    assertThat(hashes).hasSize(9);
  }

  @Test
  void aSignatureBindsEveryField() {
    EdDsaPrivateKey key = EdDsaPrivateKey.fromSeed(new byte[32]);
    PlaceOrder signed =
        SignedOrderMessage.sign(key, order(5, 1, Side.BUY, 10, 1000, 500, 1_900_000_000L, 1));
    assertThat(SignedOrderMessage.verify(key.publicKey(), signed)).isTrue();
    PlaceOrder otherPrice =
        order(5, 1, Side.BUY, 10, 1010, 500, 1_900_000_000L, 1).withSignature(signed.signature());
    assertThat(SignedOrderMessage.verify(key.publicKey(), otherPrice)).isFalse();
    // the intake's route through a SignatureVerifier (H(fields) hashed by the verifier) agrees,
    // with and without the signer's key table (admitted from its 4th use on)
    io.zkperp.protocol.eddsa.SignatureVerifier verifier =
        new io.zkperp.protocol.eddsa.JavaSignatureVerifier(1);
    for (int i = 0; i < 6; i++) {
      assertThat(SignedOrderMessage.verify(verifier, key.publicKey(), signed)).isTrue();
      assertThat(SignedOrderMessage.verify(verifier, key.publicKey(), otherPrice)).isFalse();
    }
    byte[] malformed = signed.signature();
    java.util.Arrays.fill(malformed, 32, 64, (byte) 0); // S = 0
    assertThat(
            SignedOrderMessage.verify(verifier, key.publicKey(), signed.withSignature(malformed)))
        .isFalse();
  }
}
