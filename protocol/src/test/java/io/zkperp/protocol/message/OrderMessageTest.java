package io.zkperp.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.eddsa.JavaSignatureVerifier;
import io.zkperp.protocol.eddsa.SignatureVerifier;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.hash.Poseidon2;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.protocol.state.StateLayout;
import io.zkperp.protocol.testing.RecordCopies;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OrderMessageTest {
  private static final EdDsaPrivateKey KEY = EdDsaPrivateKey.fromSeed(new byte[32]);
  private static final SignatureVerifier VERIFIER = new JavaSignatureVerifier(4);
  private static final OrderMessage BASE =
      new OrderMessage(
          0x01020304,
          0xa0b0,
          OrderMessage.Side.SELL,
          OrderMessage.Type.MARKET,
          OrderMessage.TimeInForce.FOK,
          true,
          0x0badf00d,
          7,
          -1,
          9,
          0x1122334455667788L,
          42,
          OrderMessage.Trigger.TAKE_PROFIT,
          5);

  @Test
  void packsEveryFieldBigEndianAsDocumented() {
    assertThat(BASE.flags()).isEqualTo(0xb3); // 1 | 1<<1 | 2<<3 | 1<<5 | 2<<6
    Fr[] p = BASE.packed();
    assertThat(p).hasSize(OrderMessage.PACKED_ELEMENTS);
    assertThat(p[0].toBigInteger())
        .isEqualTo(
            new BigInteger(
                "01020304" + "a0b0" + "00b3" + "0badf00d" + "000000000000002a" + "1122334455667788",
                16));
    assertThat(p[1].toBigInteger())
        .isEqualTo(
            new BigInteger(
                "0000000000000007" + "ffffffffffffffff" + "0000000000000005" + "00000009", 16));
    // H(D, e1, e2) with D = H(tag, 2, chainId, rollup), computed from scratch
    MessageDomain d = MessageDomain.DEMO;
    Fr separator =
        Poseidon2.hash(
            StateLayout.tag("zkperp/order"),
            Fr.fromUnsignedLong(2),
            Fr.fromUnsignedLong(31337),
            MessageDomain.DEMO_ROLLUP_ADDRESS.toField());
    assertThat(d.separator(MessageType.ORDER)).isEqualTo(separator);
    assertThat(BASE.hash(d)).isEqualTo(Poseidon2.hash(separator, p[0], p[1]));
  }

  private static OrderMessage with(String component, Object value) {
    return RecordCopies.with(BASE, component, value);
  }

  /** One change per signed field, named by the field. */
  static Stream<Arguments> signedFields() {
    return Stream.of(
        changed("account", BASE.account() + 1),
        changed("market", BASE.market() + 1),
        changed("side", OrderMessage.Side.BUY),
        changed("type", OrderMessage.Type.LIMIT),
        changed("timeInForce", OrderMessage.TimeInForce.GTC),
        changed("reduceOnly", false),
        changed("clientOrderId", BASE.clientOrderId() + 1),
        changed("size", BASE.size() + 1),
        changed("price", BASE.price() - 1),
        changed("feeCap", BASE.feeCap() + 1),
        changed("expiry", BASE.expiry() + 1),
        changed("nonce", BASE.nonce() + 1),
        changed("trigger", OrderMessage.Trigger.STOP_LOSS),
        changed("triggerPrice", BASE.triggerPrice() + 1));
  }

  private static Arguments changed(String field, Object value) {
    return Arguments.of(Named.of(field, with(field, value)));
  }

  @Test
  void theTamperCasesCoverEveryField() {
    assertThat(signedFields().map(a -> ((Named<?>) a.get()[0]).getName()))
        .containsExactlyInAnyOrder(
            Arrays.stream(RecordCopies.componentNames(OrderMessage.class)).toArray(String[]::new));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("signedFields")
  void aSignedFieldChangedAfterSigningVoidsTheSignature(OrderMessage changed) {
    byte[] signature = BASE.sign(KEY, MessageDomain.DEMO);
    assertThat(BASE.verify(VERIFIER, KEY.publicKey(), signature, MessageDomain.DEMO)).isTrue();
    assertThat(changed).isNotEqualTo(BASE);
    assertThat(changed.verify(VERIFIER, KEY.publicKey(), signature, MessageDomain.DEMO)).isFalse();
  }

  @Test
  void anotherChainOrRollupVoidsEverySignature() {
    MessageDomain otherChain = MessageDomain.of(1, MessageDomain.DEMO_ROLLUP_ADDRESS);
    MessageDomain otherRollup =
        MessageDomain.of(
            MessageDomain.DEMO_CHAIN_ID,
            L1Address.fromHex("0x5fbdb2315678afecb367f032d93f642f64180aa4"));
    byte[] order = BASE.sign(KEY, MessageDomain.DEMO);
    CancelOrderMessage cancel = new CancelOrderMessage(1, true, 5, 1_900_000_000L);
    CancelAllMessage all = new CancelAllMessage(1, CancelAllMessage.ALL_MARKETS, 1_900_000_000L);
    OraclePriceMessage price = new OraclePriceMessage(3, 1000L << 32, 1_900_000_000L);
    byte[] c = cancel.sign(KEY, MessageDomain.DEMO);
    byte[] a = all.sign(KEY, MessageDomain.DEMO);
    byte[] p = price.sign(KEY, MessageDomain.DEMO);
    for (MessageDomain wrong : new MessageDomain[] {otherChain, otherRollup}) {
      assertThat(BASE.verify(VERIFIER, KEY.publicKey(), order, wrong)).isFalse();
      assertThat(cancel.verify(VERIFIER, KEY.publicKey(), c, wrong)).isFalse();
      assertThat(all.verify(VERIFIER, KEY.publicKey(), a, wrong)).isFalse();
      assertThat(price.verify(VERIFIER, KEY.publicKey(), p, wrong)).isFalse();
    }
    assertThat(cancel.verify(VERIFIER, KEY.publicKey(), c, MessageDomain.DEMO)).isTrue();
    assertThat(all.verify(VERIFIER, KEY.publicKey(), a, MessageDomain.DEMO)).isTrue();
    assertThat(price.verify(VERIFIER, KEY.publicKey(), p, MessageDomain.DEMO)).isTrue();
  }

  @Test
  void noSignatureCrossesMessageTypes() {
    // the same packed element under two types: different separators, different hashes
    Fr e = Fr.fromUnsignedLong(12345);
    Fr h1 = MessageDomain.DEMO.hash(MessageType.CANCEL_ORDER, e);
    Fr h2 = MessageDomain.DEMO.hash(MessageType.CANCEL_ALL, e);
    Fr h3 = MessageDomain.DEMO.hash(MessageType.ORACLE_PRICE, e);
    assertThat(h1).isNotEqualTo(h2).isNotEqualTo(h3);
    assertThat(h2).isNotEqualTo(h3);
  }

  @Test
  void outOfRangeFieldsAreTypedErrors() {
    assertThatThrownBy(() -> withMarket(65_536))
        .isInstanceOf(InvalidMessageFieldException.class)
        .satisfies(
            e -> {
              InvalidMessageFieldException x = (InvalidMessageFieldException) e;
              assertThat(x.field()).isEqualTo("market");
              assertThat(x.type()).isEqualTo(MessageType.ORDER);
            });
    assertThatThrownBy(() -> withMarket(-1)).isInstanceOf(InvalidMessageFieldException.class);
    assertThatThrownBy(() -> withFeeCap(1L << 32))
        .isInstanceOf(InvalidMessageFieldException.class)
        .hasMessageContaining("feeCap");
    assertThatThrownBy(() -> withFeeCap(-1)).isInstanceOf(InvalidMessageFieldException.class);
    assertThatThrownBy(() -> new CancelAllMessage(1, 70_000, 5))
        .isInstanceOf(InvalidMessageFieldException.class)
        .hasMessageContaining("market");
    assertThatThrownBy(() -> new CancelAllMessage(1, -2, 5))
        .isInstanceOf(InvalidMessageFieldException.class);
    assertThat(withMarket(65_535).market()).isEqualTo(65_535);
    assertThat(withFeeCap(0xFFFF_FFFFL).feeCap()).isEqualTo(0xFFFF_FFFFL);
  }

  private static OrderMessage withMarket(int market) {
    return with("market", market);
  }

  private static OrderMessage withFeeCap(long feeCap) {
    return with("feeCap", feeCap);
  }
}
