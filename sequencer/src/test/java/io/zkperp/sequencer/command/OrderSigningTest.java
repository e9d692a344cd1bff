package io.zkperp.sequencer.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.eddsa.JavaSignatureVerifier;
import io.zkperp.protocol.eddsa.SignatureVerifier;
import io.zkperp.protocol.message.InvalidMessageFieldException;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.message.OrderMessage;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.protocol.testing.RecordCopies;
import io.zkperp.sequencer.OrderType;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.TriggerType;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OrderSigningTest {
  private static final EdDsaPrivateKey KEY = EdDsaPrivateKey.fromSeed(new byte[32]);
  private static final SignatureVerifier VERIFIER = new JavaSignatureVerifier(4);

  private static PlaceOrder order() {
    return new PlaceOrder(
        5,
        1,
        Side.SELL,
        77,
        OrderType.LIMIT,
        TimeInForce.IOC,
        true,
        10,
        1000,
        500,
        1_900_000_000L,
        9,
        TriggerType.STOP_LOSS,
        990,
        new byte[PlaceOrder.SIGNATURE_BYTES]);
  }

  /** One change per field of the command but the signature, named by the field. */
  static Stream<Arguments> signedFields() {
    return Stream.of(
        tampered("account", 6),
        tampered("market", 2),
        tampered("side", Side.BUY),
        tampered("clientOrderId", 78),
        tampered("type", OrderType.MARKET),
        tampered("timeInForce", TimeInForce.GTC),
        tampered("reduceOnly", false),
        tampered("size", 11L),
        tampered("price", 999L),
        tampered("feeCap", 501L),
        tampered("expiry", 1_900_000_001L),
        tampered("nonce", 10L),
        tampered("trigger", TriggerType.TAKE_PROFIT),
        tampered("triggerPrice", 991L));
  }

  private static Arguments tampered(String field, Object value) {
    return Arguments.of(Named.of(field, field), value);
  }

  @Test
  void theEnginesEnumsMapOntoTheProtocolsByName() {
    for (Side s : Side.values()) {
      assertThat(OrderMessage.Side.values()[s.ordinal()].name()).isEqualTo(s.name());
      assertThat(OrderMessage.Side.values()[s.ordinal()].code()).isEqualTo(s.code());
    }
    assertThat(OrderMessage.Side.values()).hasSameSizeAs(Side.values());
    for (OrderType t : OrderType.values()) {
      assertThat(OrderMessage.Type.values()[t.ordinal()].name()).isEqualTo(t.name());
    }
    assertThat(OrderMessage.Type.values()).hasSameSizeAs(OrderType.values());
    for (TimeInForce t : TimeInForce.values()) {
      assertThat(OrderMessage.TimeInForce.values()[t.ordinal()].name()).isEqualTo(t.name());
    }
    assertThat(OrderMessage.TimeInForce.values()).hasSameSizeAs(TimeInForce.values());
    for (TriggerType t : TriggerType.values()) {
      assertThat(OrderMessage.Trigger.values()[t.ordinal()].name()).isEqualTo(t.name());
    }
    assertThat(OrderMessage.Trigger.values()).hasSameSizeAs(TriggerType.values());
  }

  @Test
  void theTamperCasesCoverEveryFieldButTheSignature() {
    assertThat(signedFields().map(a -> ((Named<?>) a.get()[0]).getName()))
        .containsExactlyInAnyOrder(
            Arrays.stream(RecordCopies.componentNames(PlaceOrder.class))
                .filter(n -> !n.equals("signature"))
                .toArray(String[]::new));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("signedFields")
  void everyFieldOfTheCommandIsSigned(String field, Object value) {
    PlaceOrder signed = OrderSigning.sign(KEY, MessageDomain.DEMO, order());
    assertThat(OrderSigning.verify(VERIFIER, KEY.publicKey(), MessageDomain.DEMO, signed)).isTrue();
    PlaceOrder tampered = RecordCopies.with(signed, field, value);
    assertThat(tampered).isNotEqualTo(signed);
    assertThat(tampered.signature()).isEqualTo(signed.signature());
    assertThat(OrderSigning.verify(VERIFIER, KEY.publicKey(), MessageDomain.DEMO, tampered))
        .as("signature still valid after changing " + field)
        .isFalse();
  }

  @Test
  void aSignatureIsValidOnlyInItsDomain() {
    PlaceOrder signed = OrderSigning.sign(KEY, MessageDomain.DEMO, order());
    MessageDomain otherChain = MessageDomain.of(1, MessageDomain.DEMO_ROLLUP_ADDRESS);
    byte[] addr = new byte[20];
    Arrays.fill(addr, (byte) 0x11);
    MessageDomain otherRollup = MessageDomain.of(MessageDomain.DEMO_CHAIN_ID, L1Address.of(addr));
    assertThat(OrderSigning.verify(VERIFIER, KEY.publicKey(), otherChain, signed)).isFalse();
    assertThat(OrderSigning.verify(VERIFIER, KEY.publicKey(), otherRollup, signed)).isFalse();
    assertThat(OrderSigning.verify(VERIFIER, KEY.publicKey(), MessageDomain.DEMO, signed)).isTrue();
  }

  @Test
  void aMalformedSignatureIsInvalidNotAnError() {
    PlaceOrder signed = OrderSigning.sign(KEY, MessageDomain.DEMO, order());
    byte[] malformed = signed.signature();
    Arrays.fill(malformed, 32, 64, (byte) 0); // S = 0
    assertThat(
            OrderSigning.verify(
                VERIFIER, KEY.publicKey(), MessageDomain.DEMO, signed.withSignature(malformed)))
        .isFalse();
  }

  @Test
  void aMarketOutsideSixteenBitsIsATypedError() {
    PlaceOrder o = order();
    PlaceOrder wide = RecordCopies.with(o, "market", 70_000);
    assertThatThrownBy(() -> OrderSigning.sign(KEY, MessageDomain.DEMO, wide))
        .isInstanceOf(InvalidMessageFieldException.class)
        .hasMessageContaining("market");
  }
}
