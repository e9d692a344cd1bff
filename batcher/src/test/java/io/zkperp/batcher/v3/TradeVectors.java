package io.zkperp.batcher.v3;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.message.OrderMessage;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.protocol.state.v2.AccountIdentity;
import io.zkperp.protocol.state.v2.AccountV2;
import io.zkperp.protocol.state.v2.FeeTier;
import io.zkperp.protocol.state.v2.FeeTiers;
import io.zkperp.protocol.state.v2.FillV2;
import io.zkperp.protocol.state.v2.GlobalV2;
import io.zkperp.protocol.state.v2.MarketRiskV2;
import io.zkperp.protocol.state.v2.MarketV2;
import io.zkperp.protocol.state.v2.OracleSigner;
import io.zkperp.protocol.state.v2.OracleSignerSet;
import io.zkperp.protocol.state.v2.PositionEntry;
import io.zkperp.protocol.state.v2.PositionList;
import io.zkperp.protocol.vectors.TestVectors;
import io.zkperp.state.StateStoreOptions;
import io.zkperp.state.v2.StateBatchV2;
import io.zkperp.state.v2.StateRootsV2;
import io.zkperp.state.v2.StateStoreV2;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads {@code test-vectors/perp-trade-steps.json}: the domain, the initial states (written to a
 * {@link StateStoreV2} as one batch), the trades and their expected refusals. Test helper.
 */
final class TradeVectors {
  static final JsonNode V = TestVectors.load("perp-trade-steps.json");

  private TradeVectors() {}

  static MessageDomain domain() {
    JsonNode d = V.get("domain");
    return MessageDomain.of(
        Long.parseUnsignedLong(d.get("chainId").asText()),
        L1Address.fromHex(d.get("rollup").asText()));
  }

  static final Map<String, TradeRefusalReason> ERRORS =
      Map.of(
          "self-trade", TradeRefusalReason.SELF_TRADE,
          "unknown-market", TradeRefusalReason.UNKNOWN_MARKET,
          "no-account", TradeRefusalReason.UNKNOWN_ACCOUNT,
          "too-many-positions", TradeRefusalReason.TOO_MANY_POSITIONS,
          "out-of-range", TradeRefusalReason.OUT_OF_RANGE);

  static Fr fr(JsonNode n) {
    return Fr.fromHex(n.asText());
  }

  static long num(JsonNode n) {
    return new BigInteger(n.asText()).longValue(); // u64 above 2^63 − 1 as its bit pattern
  }

  static AccountV2 account(JsonNode a) {
    JsonNode id = a.get("identity");
    List<PositionEntry> entries = new ArrayList<>();
    for (JsonNode e : a.get("positions")) {
      entries.add(
          new PositionEntry(
              e.get("market").asInt(), num(e.get("size")), num(e.get("fundingSnapshot"))));
    }
    return new AccountV2(
        new AccountIdentity(
            fr(id.get("publicKeyX")),
            fr(id.get("publicKeyY")),
            L1Address.fromHex(id.get("l1Owner").asText()),
            id.get("feeTier").asInt()),
        num(a.get("nonce")),
        num(a.get("collateral")),
        new PositionList(entries));
  }

  static MarketV2 market(JsonNode m) {
    JsonNode r = m.get("risk");
    String[] f = {
      "initialMarginPpm", "maintenanceMarginPpm", "baselinePositionSize", "incrementalPositionSize",
      "incrementalInitialMarginPpm", "maxPositionSize", "openInterestCap", "oracleMaxAgeSeconds",
      "oracleMaxFutureSeconds", "oracleMaxMovePpm", "fundingMinIntervalSeconds", "fundingMaxRatePpm"
    };
    long[] v = new long[f.length];
    for (int i = 0; i < f.length; i++) {
      v[i] = num(r.get(f[i]));
    }
    return new MarketV2(
        num(m.get("oraclePrice")),
        num(m.get("oracleTimestamp")),
        num(m.get("fundingIndex")),
        num(m.get("fundingTimestamp")),
        num(m.get("openInterest")),
        new MarketRiskV2(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11]));
  }

  static GlobalV2 global(JsonNode sc) {
    JsonNode g = sc.get("initial").get("global");
    List<OracleSigner> slots = new ArrayList<>();
    for (JsonNode s : sc.get("oracleSigners").get("slots")) {
      slots.add(new OracleSigner(fr(s.get("keyX")), fr(s.get("keyY"))));
    }
    List<FeeTier> tiers = new ArrayList<>();
    for (JsonNode t : sc.get("feeTiers").get("tiers")) {
      tiers.add(new FeeTier(t.get("makerPpm").asInt(), t.get("takerPpm").asInt()));
    }
    return new GlobalV2(
        num(g.get("feeBalance")),
        new OracleSignerSet(slots),
        g.get("oracleQuorum").asInt(),
        new FeeTiers(tiers));
  }

  static TradeOrder side(JsonNode s) {
    JsonNode o = s.get("order");
    OrderMessage order =
        new OrderMessage(
            (int) o.get("account").asLong(),
            o.get("market").asInt(),
            OrderMessage.Side.values()[o.get("side").asInt()],
            OrderMessage.Type.values()[o.get("type").asInt()],
            OrderMessage.TimeInForce.values()[o.get("timeInForce").asInt()],
            o.get("reduceOnly").asBoolean(),
            (int) o.get("clientOrderId").asLong(),
            num(o.get("size")),
            num(o.get("price")),
            o.get("feeCap").asLong(),
            num(o.get("expiry")),
            num(o.get("nonce")),
            OrderMessage.Trigger.values()[o.get("trigger").asInt()],
            num(o.get("triggerPrice")));
    byte[] sig = HexFormat.of().parseHex(s.get("signature").asText().substring(2));
    return new TradeOrder(order, sig, num(s.get("feePpm")));
  }

  static TradeTransaction trade(JsonNode t) {
    return new TradeTransaction(
        t.get("market").asInt(),
        num(t.get("price")),
        num(t.get("size")),
        side(t.get("buyer")),
        side(t.get("seller")));
  }

  static List<TradeRefusalReason> expectedRefusal(JsonNode t) {
    return refusal(t, ERRORS, TradeRefusalReason.values(), TradeRefusalReason::ruleName);
  }

  /**
   * A refused step's expected reasons: its {@code error} through {@code errors}, else each of its
   * {@code rules} as the reason of that rule name, in the file's order.
   */
  static <E extends Enum<E>> List<E> refusal(
      JsonNode step, Map<String, E> errors, E[] reasons, Function<E, String> ruleName) {
    if (step.has("error")) {
      E r = errors.get(step.get("error").asText());
      assertThat(r).as("error %s", step.get("error")).isNotNull();
      return List.of(r);
    }
    List<E> out = new ArrayList<>();
    for (JsonNode n : step.get("rules")) {
      E match = null;
      for (E r : reasons) {
        if (n.asText().equals(ruleName.apply(r))) {
          match = r;
        }
      }
      assertThat(match).as("rule %s", n).isNotNull();
      out.add(match);
    }
    return out;
  }

  /** Writes a scenario's initial state and checks its root is the file's. */
  static StateRootsV2 initialState(StateStoreV2 s, JsonNode sc, String name) {
    StateRootsV2 initial = writeInitial(s, sc);
    assertThat(initial.stateRoot()).as(name).isEqualTo(fr(sc.get("initial").get("root")));
    return initial;
  }

  static StateStoreOptions options() {
    return StateStoreOptions.DEFAULT.withKeptVersions(4).withBlockCacheBytes(8 << 20);
  }

  static StateRootsV2 writeInitial(StateStoreV2 s, JsonNode sc) {
    JsonNode st = sc.get("initial");
    StateBatchV2 b = s.beginBatch();
    for (JsonNode a : st.get("accounts")) {
      long id = num(a.get("id"));
      b.setAccount(id, account(a.get("account")));
      for (JsonNode f : a.get("fills")) {
        b.setFill(id, new FillV2(num(f.get("orderNonce")), num(f.get("filledAmount"))));
      }
    }
    for (JsonNode m : st.get("markets")) {
      b.setMarket((int) num(m.get("id")), market(m.get("market")));
    }
    b.setGlobal(global(sc));
    return b.commit();
  }
}
