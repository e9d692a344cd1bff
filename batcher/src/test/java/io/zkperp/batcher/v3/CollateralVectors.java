package io.zkperp.batcher.v3;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.message.TransferMessage;
import io.zkperp.protocol.message.WithdrawalMessage;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.protocol.vectors.TestVectors;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code test-vectors/collateral-steps.json}: the domain, the steps as {@link
 * CollateralTransaction}s and their expected refusals (the initial states are in the encoding of
 * {@code perp-trade-steps.json}, written by {@link TradeVectors#writeInitial}). Test helper.
 */
final class CollateralVectors {
  static final JsonNode V = TestVectors.load("collateral-steps.json");

  private CollateralVectors() {}

  static MessageDomain domain() {
    JsonNode d = V.get("domain");
    return MessageDomain.of(
        Long.parseUnsignedLong(d.get("chainId").asText()),
        L1Address.fromHex(d.get("rollup").asText()));
  }

  static byte[] hex(JsonNode n) {
    return HexFormat.of().parseHex(n.asText().substring(2));
  }

  private static int id(JsonNode n) {
    return (int) Long.parseLong(n.asText()); // u32
  }

  static CollateralTransaction transaction(JsonNode s) {
    int account = id(s.get("account"));
    long amount = TradeVectors.num(s.get("amount"));
    return switch (s.get("type").asText()) {
      case "deposit" ->
          new DepositTransaction(
              account,
              L1Address.fromHex(s.get("l1Owner").asText()),
              TradeVectors.fr(s.get("publicKeyX")),
              TradeVectors.fr(s.get("publicKeyY")),
              amount);
      case "withdrawal" ->
          new WithdrawalTransaction(
              new WithdrawalMessage(
                  account,
                  L1Address.fromHex(s.get("l1Owner").asText()),
                  amount,
                  TradeVectors.num(s.get("nonce"))),
              hex(s.get("signature")));
      case "transfer" ->
          new TransferTransaction(
              new TransferMessage(
                  account, id(s.get("receiver")), amount, TradeVectors.num(s.get("nonce"))),
              hex(s.get("signature")));
      case "forced-withdrawal" ->
          new ForcedWithdrawalTransaction(
              account, L1Address.fromHex(s.get("l1Owner").asText()), amount);
      default -> throw new IllegalArgumentException("type " + s.get("type"));
    };
  }

  static List<CollateralRefusalReason> expectedRefusal(JsonNode s) {
    return TradeVectors.refusal(
        s,
        Map.of("out-of-range", CollateralRefusalReason.ACCOUNT_OUT_OF_RANGE),
        CollateralRefusalReason.values(),
        CollateralRefusalReason::ruleName);
  }
}
