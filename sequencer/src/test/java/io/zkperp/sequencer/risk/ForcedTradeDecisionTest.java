package io.zkperp.sequencer.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkperp.protocol.message.ForcedTradeReason;
import io.zkperp.sequencer.core.LiquidationActions;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The two reasons the Go reference gains in this session (docs/perp-circuit.md §12.3; until the
 * merged reference emits them into {@code forced-trade-rules.json}): {@link
 * ForcedTradeReason#NO_FREE_ENTRY} and {@link ForcedTradeReason#OUT_OF_RANGE}, each at its place in
 * the order, an invalid request changing nothing, an executed one conserving collateral and sizes,
 * and the requests L1 refuses. Markets of {@code forced-trade-rules.json} (0 … 9 listed; market 2
 * size limit 1,000, markets 3 … 9 size limit 2^55 − 1).
 */
class ForcedTradeDecisionTest {
  private static final Map<Integer, VectorMarket> MARKETS =
      VectorMarket.of(VectorJson.map(VectorJson.load("forced-trade-rules.json")));
  private static final LiquidationActions NO_CORE = new BookAbsorbsNothing(event -> {});
  private static final int A = 5;
  private static final int B = 9;
  private static final long NONCE = 8_292;
  private static final long OLDER = NONCE - 4_096;

  private final ForcedTradeEngine e = new ForcedTradeEngine(MARKETS);

  /** Account id with collateral and size 1 in each market of {@code markets}. */
  private Account holder(int id, long collateral, int... markets) {
    Account a = e.book.getOrCreate(id);
    a.collateral = collateral;
    for (int m : markets) {
      a.setSize(m, 1, MARKETS.get(m).fundingIndex());
    }
    return a;
  }

  private static ForcedTradeRequest buy(int market, long size, long amount) {
    return new ForcedTradeRequest(A, B, market, true, size, amount, NONCE);
  }

  private ForcedTradeReason applyUnchanged(ForcedTradeRequest r, long slot, boolean signature) {
    String before = describeBoth();
    long oi = e.markets.get(r.market()).openInterest;
    ForcedTradeOutcome out = e.decision.apply(r, slot, signature, NO_CORE);
    assertThat(out.exchange()).isNull();
    assertThat(describeBoth()).as("an invalid forced trade changes nothing").isEqualTo(before);
    assertThat(e.markets.get(r.market()).openInterest).isEqualTo(oi);
    return out.reason();
  }

  private String describeBoth() {
    return ForcedTradeEngine.describe(e.book.getOrCreate(A))
        + " / "
        + ForcedTradeEngine.describe(e.book.getOrCreate(B));
  }

  @Test
  void aFullListWithoutTheMarketIsNoFreeEntryAfterTheSignatureAndBeforeRisk() {
    holder(A, 4_000_000, 2, 3, 4, 5, 6, 7, 8, 9);
    holder(B, 4_000_000);
    assertThat(applyUnchanged(buy(0, 10, 13_000), OLDER, true))
        .isEqualTo(ForcedTradeReason.NO_FREE_ENTRY);
    // overpaid as well: no free entry comes first
    assertThat(applyUnchanged(buy(0, 10, 100_000_000), OLDER, true))
        .isEqualTo(ForcedTradeReason.NO_FREE_ENTRY);
    // stale, a bad signature and an unknown market come before it
    assertThat(applyUnchanged(buy(0, 10, 13_000), NONCE, true)).isEqualTo(ForcedTradeReason.STALE);
    assertThat(applyUnchanged(buy(0, 10, 13_000), OLDER, false))
        .isEqualTo(ForcedTradeReason.BAD_SIGNATURE);
    assertThat(applyUnchanged(buy(12, 10, 13_000), OLDER, true))
        .isEqualTo(ForcedTradeReason.UNKNOWN_MARKET);
    // the full list holds market 2: its entry is used
    assertThat(e.decision.decide(buy(2, 10, 12_000), OLDER, true))
        .isEqualTo(ForcedTradeReason.EXECUTED);
  }

  @Test
  void bsFullListIsNoFreeEntryToo() {
    holder(A, 4_000_000);
    holder(B, 4_000_000, 2, 3, 4, 5, 6, 7, 8, 9);
    assertThat(applyUnchanged(buy(0, 10, 13_000), OLDER, true))
        .isEqualTo(ForcedTradeReason.NO_FREE_ENTRY);
    // a list of 7 has a free entry
    e.book.getOrCreate(B).setSize(9, 0, 0);
    assertThat(e.decision.decide(buy(0, 10, 13_000), OLDER, true))
        .isEqualTo(ForcedTradeReason.EXECUTED);
  }

  @Test
  void aSizePastTwoToThe55IsOutOfRangeBeforeTheSizeLimit() {
    Account a = holder(A, 1L << 62);
    a.setSize(3, ForcedTradeDecision.MAX_ABS_SIZE - 10, MARKETS.get(3).fundingIndex());
    holder(B, 1L << 62);
    // 2^55 − 1: the largest size an entry holds, and market 3's size limit: executes
    assertThat(e.decision.decide(buy(3, 10, 1_030), OLDER, true))
        .isEqualTo(ForcedTradeReason.EXECUTED);
    // 2^55: out of range (the size limit fails too; out of range comes first)
    assertThat(applyUnchanged(buy(3, 11, 1_133), OLDER, true))
        .isEqualTo(ForcedTradeReason.OUT_OF_RANGE);
    // B's short past −(2^55 − 1)
    ForcedTradeRequest sell =
        new ForcedTradeRequest(B, A, 3, false, ForcedTradeDecision.MAX_ABS_SIZE, 1, NONCE);
    e.book.getOrCreate(B).setSize(3, -1, MARKETS.get(3).fundingIndex());
    assertThat(applyUnchanged(sell, 0, true)).isEqualTo(ForcedTradeReason.OUT_OF_RANGE);
    // a bad signature comes before it
    assertThat(applyUnchanged(buy(3, 11, 1_133), OLDER, false))
        .isEqualTo(ForcedTradeReason.BAD_SIGNATURE);
  }

  @Test
  void aCollateralPast64BitsIsOutOfRange() {
    holder(A, Long.MAX_VALUE - 100);
    holder(B, 1L << 40);
    ForcedTradeRequest sell = new ForcedTradeRequest(A, B, 3, false, 10, 1_030, NONCE);
    assertThat(applyUnchanged(sell, OLDER, true)).isEqualTo(ForcedTradeReason.OUT_OF_RANGE);
    // 100 still fits: A receives it
    ForcedTradeRequest fits = new ForcedTradeRequest(A, B, 3, false, 10, 100, NONCE);
    assertThat(e.decision.decide(fits, OLDER, true)).isEqualTo(ForcedTradeReason.EXECUTED);
  }

  @Test
  void anExecutedTradeMovesTheAmountAndTheSizeAndNothingElse() {
    Account a = holder(A, 500_000, 3);
    Account b = holder(B, 400_000, 4);
    // funding pending on A's position in market 3 (its snapshot below the index)
    a.fundingSnapshots[0] -= 2_000_000_000L;
    long pendingA = e.book.pendingFunding(a);
    assertThat(pendingA).isNotZero();
    long oi = e.markets.get(0).openInterest;
    ForcedTradeOutcome out = e.decision.apply(buy(0, 10, 13_001), OLDER, true, NO_CORE);
    assertThat(out.reason()).isEqualTo(ForcedTradeReason.EXECUTED);
    assertThat(out.exchange()).isNotNull();
    assertThat(a.collateral).isEqualTo(500_000 + pendingA - 13_001);
    assertThat(b.collateral).isEqualTo(400_000 + 13_001);
    assertThat(a.size(0)).isEqualTo(10);
    assertThat(b.size(0)).isEqualTo(-10);
    assertThat(e.markets.get(0).openInterest).isEqualTo(oi + 10);
  }

  @Test
  void requestsL1RefusesAreTypedErrors() {
    assertThatThrownBy(() -> new ForcedTradeRequest(A, A, 0, true, 1, 1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("same account");
    assertThatThrownBy(() -> new ForcedTradeRequest(A, AccountBook.FUND_ID, 0, true, 1, 1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("account B");
    assertThatThrownBy(() -> new ForcedTradeRequest(A, B, 64, true, 1, 1, 1))
        .hasMessageContaining("market 64");
    assertThatThrownBy(() -> new ForcedTradeRequest(A, B, 0, true, 0, 1, 1))
        .hasMessageContaining("size 0");
    assertThatThrownBy(() -> new ForcedTradeRequest(A, B, 0, true, 1L << 55, 1, 1))
        .hasMessageContaining("size");
    assertThatThrownBy(() -> new ForcedTradeRequest(A, B, 0, true, 1, 0, 1))
        .hasMessageContaining("amount 0");
    assertThatThrownBy(() -> new ForcedTradeRequest(A, B, 0, true, 1, 1, 0))
        .hasMessageContaining("nonce 0");
    // a fill-slot nonce of another slot
    assertThatThrownBy(() -> e.decision.decide(buy(0, 1, 1), NONCE + 1, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("slot");
  }

  @Test
  void noncesCompareUnsigned() {
    holder(A, 500_000);
    holder(B, 400_000);
    long top = -1L; // 2^64 − 1, slot 4,095
    ForcedTradeRequest r = new ForcedTradeRequest(A, B, 0, true, 10, 13_000, top);
    assertThat(e.decision.decide(r, top - 4_096, true)).isEqualTo(ForcedTradeReason.EXECUTED);
    assertThat(e.decision.decide(r, top, true)).isEqualTo(ForcedTradeReason.STALE);
    ForcedTradeRequest low = new ForcedTradeRequest(A, B, 0, true, 10, 13_000, 4_095);
    assertThat(e.decision.decide(low, top, true)).isEqualTo(ForcedTradeReason.STALE);
  }

  @Test
  void reasonCodesAreTheCircuits() {
    assertThat(ForcedTradeReason.values())
        .extracting(ForcedTradeReason::code)
        .containsExactly(0, 1, 2, 3, 4, 5, 6);
    assertThat(ForcedTradeReason.ofCode(5)).isEqualTo(ForcedTradeReason.NO_FREE_ENTRY);
    assertThatThrownBy(() -> ForcedTradeReason.ofCode(7))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
