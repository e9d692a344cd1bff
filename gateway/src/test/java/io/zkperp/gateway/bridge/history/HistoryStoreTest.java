package io.zkperp.gateway.bridge.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkperp.gateway.bridge.ReadModel;
import io.zkperp.sequencer.Side;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The history store on real RocksDB: cursor text forms (good and bad), newest-first paging with
 * nextCursor at every limit, cursors between entries, per-market listings, the applied sequence
 * written with each batch and kept across a reopen, and a batch that would go backwards refused
 * with nothing written.
 */
class HistoryStoreTest {
  @TempDir Path dir;

  @Test
  void cursorsParseOnlyTheirOwnForm() {
    assertThat(HistoryCursor.parse("1.0")).isEqualTo(new HistoryCursor(1, 0));
    assertThat(HistoryCursor.parse("9223372036854775807.2147483647"))
        .isEqualTo(new HistoryCursor(Long.MAX_VALUE, Integer.MAX_VALUE));
    assertThat(new HistoryCursor(1234, 5).toString()).isEqualTo("1234.5");
    for (String bad :
        new String[] {
          "",
          "1",
          "1.",
          ".1",
          "0.0",
          "-1.0",
          "01.0",
          "1.01",
          "1.0.0",
          "a.b",
          " 1.0",
          "1.0 ",
          "9223372036854775808.0",
          "99999999999999999999.0",
          "1.2147483648",
          "1,0",
          "١.0"
        }) {
      assertThatThrownBy(() -> HistoryCursor.parse(bad))
          .as("%s", bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("nextCursor");
    }
  }

  @Test
  void pagesNewestFirstAtEveryLimitAndKeepsTheAppliedSequence() throws IOException {
    List<ReadModel.FillView> all = new ArrayList<>(); // oldest first
    try (HistoryStore h = HistoryStore.open(dir)) {
      assertThat(h.appliedSeq()).isZero();
      for (long seq = 1; seq <= 30; seq++) {
        HistoryStore.Batch b = h.batch();
        if (seq % 3 != 0) { // some records have no fill of account 7
          for (int i = 0; i < (int) (seq % 4); i++) {
            ReadModel.FillView f = fill(seq, i, seq % 2 == 0 ? 1 : 2);
            b.fill(7, f);
            all.add(f);
          }
          b.fill(8, fill(seq, 0, 1)); // another account: never listed for 7
        }
        b.record(seq);
        h.commit(b, seq == 30);
        assertThat(h.appliedSeq()).isEqualTo(seq);
      }
      List<ReadModel.FillView> newest = new ArrayList<>(all.reversed());
      for (int limit = 1; limit <= all.size() + 1; limit++) {
        assertThat(pageAll(h, -1, limit)).as("limit %d", limit).isEqualTo(newest);
      }
      assertThat(pageAll(h, 1, 4)).isEqualTo(newest.stream().filter(f -> f.market() == 1).toList());
      assertThat(pageAll(h, 2, 4)).isEqualTo(newest.stream().filter(f -> f.market() == 2).toList());
      // a cursor between entries (record 3 has none) continues with the next older one
      assertThat(h.fills(7, -1, new HistoryCursor(3, 0), 1).items().get(0))
          .isEqualTo(fill(2, 1, 1));
      // past the oldest: an empty last page
      HistoryStore.Page<ReadModel.FillView> end = h.fills(7, -1, new HistoryCursor(1, 0), 10);
      assertThat(end.items()).isEmpty();
      assertThat(end.next()).isNull();
      assertThat(h.fills(99, -1, HistoryCursor.NEWEST, 10).items()).isEmpty();
      assertThatThrownBy(() -> h.fills(7, -1, HistoryCursor.NEWEST, 0))
          .isInstanceOf(IllegalArgumentException.class);

      // a batch at or before the applied sequence is refused and writes nothing
      HistoryStore.Batch stale = h.batch();
      stale.fill(7, fill(30, 9, 1));
      stale.record(30);
      assertThatThrownBy(() -> h.commit(stale, false)).isInstanceOf(IllegalStateException.class);
      assertThat(h.appliedSeq()).isEqualTo(30);
      assertThat(pageAll(h, -1, 100)).isEqualTo(newest);
    }
    try (HistoryStore h = HistoryStore.open(dir)) {
      assertThat(h.appliedSeq()).isEqualTo(30);
      assertThat(pageAll(h, -1, 7)).isEqualTo(new ArrayList<>(all.reversed()));
    }
  }

  @Test
  void tradesFundingPaymentsCollateralAndOrdersRoundTrip() throws IOException {
    try (HistoryStore h = HistoryStore.open(dir)) {
      HistoryStore.Batch b = h.batch();
      HistoryStore.Trade t = new HistoryStore.Trade(5, 1, 2, 1_700_000_000L, 1001, 3, Side.SELL);
      b.trade(t);
      ReadModel.FundingTickView tick =
          new ReadModel.FundingTickView(
              5,
              2,
              1_700_003_600L,
              -7,
              123,
              1000L << 32,
              new ReadModel.FundingDerivation(3600, 60, -12, -10));
      b.funding(tick);
      FundingPayment p0 = new FundingPayment(5, 0, 3, 2, 10, -42, 100, 200, 1_700_003_600L);
      FundingPayment p1 = new FundingPayment(5, 1, 3, 1, -4, 7, 50, 90, 1_700_003_600L);
      b.payment(p0);
      b.payment(p1);
      CollateralChange c0 =
          new CollateralChange(5, 0, 3, CollateralKind.FUNDING, 2, -1, -42, 58, 1_700_003_600L);
      CollateralChange c1 =
          new CollateralChange(5, 1, 3, CollateralKind.TRANSFER_OUT, -1, 4, -8, 50, 1_700_003_600L);
      b.collateral(c0);
      b.collateral(c1);
      ReadModel.OrderChange oc =
          new ReadModel.OrderChange(
              new ReadModel.OpenOrder(77, 3, 2, 4_000_000_000L, Side.BUY, 999, 5, 0, 9, false),
              "FILLED");
      b.order(new HistoryStore.OrderEvent(5, 0, oc));
      b.record(5);
      h.commit(b, false);
      assertThat(h.trades(2, HistoryCursor.NEWEST, 10).items()).containsExactly(t);
      assertThat(h.funding(2, HistoryCursor.NEWEST, 10).items()).containsExactly(tick);
      assertThat(h.payments(3, -1, HistoryCursor.NEWEST, 10).items()).containsExactly(p1, p0);
      assertThat(h.payments(3, 2, HistoryCursor.NEWEST, 10).items()).containsExactly(p0);
      assertThat(h.payments(4, -1, HistoryCursor.NEWEST, 10).items()).isEmpty();
      HistoryStore.Page<CollateralChange> first = h.collateral(3, HistoryCursor.NEWEST, 1);
      assertThat(first.items()).containsExactly(c1);
      assertThat(first.next()).isEqualTo(new HistoryCursor(5, 1));
      assertThat(h.collateral(3, first.next(), 1).items()).containsExactly(c0);
      assertThat(h.orders(3, HistoryCursor.NEWEST, 10).items())
          .containsExactly(new HistoryStore.OrderEvent(5, 0, oc));
    }
  }

  private static ReadModel.FillView fill(long seq, int index, int market) {
    return new ReadModel.FillView(
        seq,
        index,
        market,
        seq * 10 + index,
        index % 2 == 0 ? Side.BUY : Side.SELL,
        index % 2 == 0 ? ReadModel.Liquidity.TAKER : ReadModel.Liquidity.MAKER,
        1000 + index,
        1 + index,
        index == 1 ? null : (long) -index);
  }

  private static List<ReadModel.FillView> pageAll(HistoryStore h, int market, int limit) {
    List<ReadModel.FillView> out = new ArrayList<>();
    HistoryCursor c = HistoryCursor.NEWEST;
    while (true) {
      HistoryStore.Page<ReadModel.FillView> p = h.fills(7, market, c, limit);
      assertThat(p.items().size()).isLessThanOrEqualTo(limit);
      out.addAll(p.items());
      if (p.next() == null) {
        return out;
      }
      assertThat(p.items()).hasSize(limit);
      c = p.next();
    }
  }
}
