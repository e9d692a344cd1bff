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
import io.zkperp.sequencer.OrderType;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.TriggerType;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

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

  private static PlaceOrder with(
      PlaceOrder o,
      int account,
      int market,
      Side side,
      int clientOrderId,
      OrderType type,
      TimeInForce tif,
      boolean reduceOnly,
      long size,
      long price,
      long feeCap,
      long expiry,
      long nonce,
      TriggerType trigger,
      long triggerPrice) {
    return new PlaceOrder(
        account,
        market,
        side,
        clientOrderId,
        type,
        tif,
        reduceOnly,
        size,
        price,
        feeCap,
        expiry,
        nonce,
        trigger,
        triggerPrice,
        o.signature());
  }

  /** One change per field of the command, each keeping the (old) signature. */
  private static Map<String, UnaryOperator<PlaceOrder>> tamperings() {
    Map<String, UnaryOperator<PlaceOrder>> t = new LinkedHashMap<>();
    t.put(
        "account",
        o ->
            with(
                o,
                6,
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
                990));
    t.put(
        "market",
        o ->
            with(
                o,
                5,
                2,
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
                990));
    t.put(
        "side",
        o ->
            with(
                o,
                5,
                1,
                Side.BUY,
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
                990));
    t.put(
        "clientOrderId",
        o ->
            with(
                o,
                5,
                1,
                Side.SELL,
                78,
                OrderType.LIMIT,
                TimeInForce.IOC,
                true,
                10,
                1000,
                500,
                1_900_000_000L,
                9,
                TriggerType.STOP_LOSS,
                990));
    t.put(
        "type",
        o ->
            with(
                o,
                5,
                1,
                Side.SELL,
                77,
                OrderType.MARKET,
                TimeInForce.IOC,
                true,
                10,
                1000,
                500,
                1_900_000_000L,
                9,
                TriggerType.STOP_LOSS,
                990));
    t.put(
        "timeInForce",
        o ->
            with(
                o,
                5,
                1,
                Side.SELL,
                77,
                OrderType.LIMIT,
                TimeInForce.GTC,
                true,
                10,
                1000,
                500,
                1_900_000_000L,
                9,
                TriggerType.STOP_LOSS,
                990));
    t.put(
        "reduceOnly",
        o ->
            with(
                o,
                5,
                1,
                Side.SELL,
                77,
                OrderType.LIMIT,
                TimeInForce.IOC,
                false,
                10,
                1000,
                500,
                1_900_000_000L,
                9,
                TriggerType.STOP_LOSS,
                990));
    t.put(
        "size",
        o ->
            with(
                o,
                5,
                1,
                Side.SELL,
                77,
                OrderType.LIMIT,
                TimeInForce.IOC,
                true,
                11,
                1000,
                500,
                1_900_000_000L,
                9,
                TriggerType.STOP_LOSS,
                990));
    t.put(
        "price",
        o ->
            with(
                o,
                5,
                1,
                Side.SELL,
                77,
                OrderType.LIMIT,
                TimeInForce.IOC,
                true,
                10,
                999,
                500,
                1_900_000_000L,
                9,
                TriggerType.STOP_LOSS,
                990));
    t.put(
        "feeCap",
        o ->
            with(
                o,
                5,
                1,
                Side.SELL,
                77,
                OrderType.LIMIT,
                TimeInForce.IOC,
                true,
                10,
                1000,
                501,
                1_900_000_000L,
                9,
                TriggerType.STOP_LOSS,
                990));
    t.put(
        "expiry",
        o ->
            with(
                o,
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
                1_900_000_001L,
                9,
                TriggerType.STOP_LOSS,
                990));
    t.put(
        "nonce",
        o ->
            with(
                o,
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
                10,
                TriggerType.STOP_LOSS,
                990));
    t.put(
        "trigger",
        o ->
            with(
                o,
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
                TriggerType.TAKE_PROFIT,
                990));
    t.put(
        "triggerPrice",
        o ->
            with(
                o,
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
                991));
    return t;
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
  void everyFieldOfTheCommandIsSigned() {
    PlaceOrder signed = OrderSigning.sign(KEY, MessageDomain.DEMO, order());
    assertThat(OrderSigning.verify(VERIFIER, KEY.publicKey(), MessageDomain.DEMO, signed)).isTrue();
    Map<String, UnaryOperator<PlaceOrder>> t = tamperings();
    assertThat(t).hasSize(14); // every field of PlaceOrder but the signature
    t.forEach(
        (field, change) -> {
          PlaceOrder tampered = change.apply(signed);
          assertThat(tampered).as(field).isNotEqualTo(signed);
          assertThat(OrderSigning.verify(VERIFIER, KEY.publicKey(), MessageDomain.DEMO, tampered))
              .as("signature still valid after changing " + field)
              .isFalse();
        });
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
    PlaceOrder wide =
        with(
            o,
            5,
            70_000,
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
            990);
    assertThatThrownBy(() -> OrderSigning.sign(KEY, MessageDomain.DEMO, wide))
        .isInstanceOf(InvalidMessageFieldException.class)
        .hasMessageContaining("market");
  }
}
