package io.zkperp.batcher.v3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.protocol.state.v2.AccountV2;
import io.zkperp.protocol.state.v2.FillV2;
import io.zkperp.protocol.state.v2.GlobalV2;
import io.zkperp.protocol.state.v2.MarketV2;
import io.zkperp.state.v2.StateBatchV2;
import io.zkperp.state.v2.StateRootsV2;
import io.zkperp.state.v2.StateStoreV2;
import io.zkperp.state.v2.StateViewV2;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TradeExecution} on a real RocksDB {@link StateStoreV2}, around the first trade of the
 * vectors' "funding-and-fills" scenario (accepted by the Go reference): its openings against the
 * store's own proofs after the commit, and changed copies of it refused with the expected reason
 * while every record the trade touches stays as it was.
 */
class TradeExecutionTest {
  @TempDir Path dir;

  private static final JsonNode SCENARIO = TradeVectors.V.get("scenarios").get(0);
  private static final TradeTransaction FIRST = TradeVectors.trade(SCENARIO.get("trades").get(0));

  private StateStoreV2 open() {
    StateStoreV2 s = StateStoreV2.open(dir, TradeVectors.options());
    TradeVectors.writeInitial(s, SCENARIO);
    return s;
  }

  @Test
  void openingsOfAnAcceptedTradeAreTheStoresProofsAfterTheCommit() throws Exception {
    try (StateStoreV2 s = open()) {
      StateRootsV2 old = s.roots();
      StateBatchV2 b = s.beginBatch();
      TradeWitness w = new TradeExecution(TradeVectors.domain()).execute(b, FIRST);
      assertThat(w.rootsBefore()).isEqualTo(old);
      assertThat(w.isConsistent()).isTrue();
      long buyer = FIRST.buyer().order().account();
      long seller = FIRST.seller().order().account();
      // before the commit: the buyer's and the market's paths are the committed ones
      try (StateViewV2 v = s.view()) {
        assertThat(w.buyer().accountPath().siblings())
            .isEqualTo(v.accountProof(buyer).path().siblings());
        assertThat(w.market().path().siblings())
            .isEqualTo(v.marketProof(FIRST.market()).path().siblings());
        assertThat(w.buyer().fillBefore()).isEqualTo(v.fill(buyer, w.buyer().fillAfter().slot()));
      }
      assertThat(b.commit()).isEqualTo(w.rootsAfter());
      try (StateViewV2 v = s.view()) {
        assertThat(v.accountProof(seller).path().siblings())
            .isEqualTo(w.seller().accountPath().siblings());
        assertThat(v.accountProof(seller).path().leaf())
            .isEqualTo(w.seller().accountPath().newLeaf());
        assertThat(v.account(seller)).isEqualTo(w.seller().after());
        assertThat(v.fill(seller, w.seller().fillAfter().slot())).isEqualTo(w.seller().fillAfter());
        assertThat(v.market(FIRST.market()).openInterest())
            .isEqualTo(w.market().after().openInterest());
        assertThat(v.global()).isEqualTo(w.global().after());
        // the fee balance gained the buyer's fee and lost the seller's rebate: 40 − 7 (notional
        // 1,310 · 60 = 78,600; ⌈78,600 · 500 / 10^6⌉ = 40; ⌊78,600 · 100 / 10^6⌋ = 7)
        assertThat(w.global().after().feeBalance() - w.global().before().feeBalance())
            .isEqualTo(33);
      }
    }
  }

  private static TradeOrder withFee(TradeOrder o, long feePpm) {
    return new TradeOrder(o.order(), o.signature(), feePpm);
  }

  private static TradeOrder flipSignatureBit(TradeOrder o) {
    byte[] sig = o.signature();
    sig[40] ^= 1; // in S
    return new TradeOrder(o.order(), sig, o.feePpm());
  }

  private void assertRefused(
      MessageDomain domain, UnaryOperator<TradeTransaction> change, TradeRefusalReason... want)
      throws Exception {
    try (StateStoreV2 s = open()) {
      StateBatchV2 b = s.beginBatch();
      long buyer = FIRST.buyer().order().account();
      long seller = FIRST.seller().order().account();
      AccountV2 a0 = b.account(buyer);
      AccountV2 a1 = b.account(seller);
      FillV2 f0 = b.fill(buyer, 70_000 % 4096);
      FillV2 f1 = b.fill(seller, 3);
      MarketV2 m = b.market(FIRST.market());
      GlobalV2 g = b.global();
      StateRootsV2 before = b.roots();
      TradeTransaction tx = change.apply(FIRST);
      assertThatThrownBy(() -> new TradeExecution(domain).execute(b, tx))
          .isInstanceOfSatisfying(
              TradeRefusedException.class, e -> assertThat(e.reasons()).containsExactly(want));
      assertThat(b.account(buyer)).isEqualTo(a0);
      assertThat(b.account(seller)).isEqualTo(a1);
      assertThat(b.fill(buyer, 70_000 % 4096)).isEqualTo(f0);
      assertThat(b.fill(seller, 3)).isEqualTo(f1);
      assertThat(b.market(FIRST.market())).isEqualTo(m);
      assertThat(b.global()).isEqualTo(g);
      assertThat(b.roots()).isEqualTo(before);
      // and the unchanged trade is still accepted on the same batch
      new TradeExecution(TradeVectors.domain()).execute(b, FIRST);
    }
  }

  @Test
  void aChangedSignatureIsRefused() throws Exception {
    assertRefused(
        TradeVectors.domain(),
        t ->
            new TradeTransaction(
                t.market(), t.price(), t.size(), flipSignatureBit(t.buyer()), t.seller()),
        TradeRefusalReason.SIGNATURE);
  }

  @Test
  void ordersSignedForAnotherDeploymentAreRefused() throws Exception {
    MessageDomain other =
        MessageDomain.of(1, L1Address.fromHex("0x5fbdb2315678afecb367f032d93f642f64180aa4"));
    assertRefused(other, t -> t, TradeRefusalReason.SIGNATURE);
  }

  @Test
  void aFeeAboveTheSignedCapIsRefused() throws Exception {
    long cap = FIRST.buyer().order().feeCap();
    assertRefused(
        TradeVectors.domain(),
        t ->
            new TradeTransaction(
                t.market(), t.price(), t.size(), withFee(t.buyer(), cap + 1), t.seller()),
        TradeRefusalReason.FEE_CAP);
  }

  @Test
  void aPriceOutsideBothLimitsBreaksTheLimitRuleOnce() throws Exception {
    assertRefused(
        TradeVectors.domain(),
        t -> new TradeTransaction(t.market(), -1, t.size(), t.buyer(), t.seller()),
        TradeRefusalReason.LIMIT);
  }

  @Test
  void aFillOfTheWholeBuyOrderOverfillsItsRemainder() throws Exception {
    // the buyer's slot already holds 20 of its 100: a fill of 100 is 20 too many (the seller's
    // order is for 60, so it breaks the rule too)
    assertRefused(
        TradeVectors.domain(),
        t -> new TradeTransaction(t.market(), t.price(), 100, t.buyer(), t.seller()),
        TradeRefusalReason.FILL);
  }

  @Test
  void refusalReasonsNameTheReferenceRules() {
    assertThat(TradeRefusalReason.MAX_POSITION_SIZE.ruleName()).isEqualTo("max-position-size");
    assertThat(TradeRefusalReason.SELF_TRADE.ruleName()).isNull();
    assertThat(
            List.of(TradeRefusalReason.values()).stream().filter(r -> r.ruleName() != null).count())
        .isEqualTo(12);
  }
}
