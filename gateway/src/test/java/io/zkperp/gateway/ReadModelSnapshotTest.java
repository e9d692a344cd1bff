package io.zkperp.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.gateway.bridge.CommandOutcome;
import io.zkperp.gateway.bridge.ReadModel;
import io.zkperp.gateway.bridge.history.HistoryCursor;
import io.zkperp.gateway.bridge.history.HistoryStore;
import io.zkperp.gateway.node.DemoMarkets;
import io.zkperp.gateway.node.DurabilityOptions;
import io.zkperp.gateway.node.GatewayNode;
import io.zkperp.gateway.node.NodeOptions;
import io.zkperp.gateway.node.SignatureVerifiers;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.sequencer.OrderType;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.TriggerType;
import io.zkperp.sequencer.command.OrderSigning;
import io.zkperp.sequencer.command.PlaceOrder;
import io.zkperp.sequencer.risk.RiskEngine;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read model's snapshot encoding on a demo node's real history: resting and parked
 * (conditional) orders, fills with fees, positions, derived funding ticks with their numbers, the
 * insurance fund. A restored read model answers every query as the original and encodes to the same
 * bytes; the fills and funding ticks are not in the encoding but in the node's history store, and a
 * read model restored on that store lists the same ones. Malformed bytes are refused with a typed
 * error and restore nothing.
 */
class ReadModelSnapshotTest {
  @TempDir Path dir;

  @Test
  void aRestoredReadModelAnswersEveryQueryAsTheOriginal() throws Exception {
    AtomicLong clock = new AtomicLong(1_700_000_000L);
    byte[] encoded;
    ReadModel original;
    Map<Integer, List<ReadModel.FillView>> fillsBefore = new HashMap<>();
    Map<Integer, List<ReadModel.FundingTickView>> fundingBefore = new HashMap<>();
    try (GatewayNode node =
        GatewayNode.open(
            NodeOptions.builder(dir)
                .clockSeconds(clock::get)
                .feedIntervalMillis(0)
                .signatures(SignatureVerifiers.JAVA)
                .durability(new DurabilityOptions(1 << 20, 0, 0, 2, null))
                .build())) {
      for (int n = 1; n <= 30; n++) {
        Side side = n % 2 == 0 ? Side.SELL : Side.BUY;
        long price = side == Side.SELL ? 997 + n % 5 : 996 + n % 7;
        JsonNode r = DemoNodeRpc.placeLimit(node, n % 4, 2, side, 3, price, 100 + n);
        assertThat(r.has("result")).as(r.toString()).isTrue();
      }
      // a stop-loss below the feed's band (±2%): parked, not in the book
      PlaceOrder stop =
          OrderSigning.sign(
              GatewayNode.demoKey(5),
              MessageDomain.DEMO,
              new PlaceOrder(
                  5,
                  2,
                  Side.SELL,
                  7,
                  OrderType.LIMIT,
                  TimeInForce.GTC,
                  false,
                  1,
                  950,
                  1000,
                  4_000_000_000L,
                  1,
                  TriggerType.STOP_LOSS,
                  950,
                  new byte[64]));
      assertThat(node.gateway().bridge().submit(stop).get(10, TimeUnit.SECONDS))
          .isInstanceOf(CommandOutcome.Accepted.class);
      for (int i = 0; i < 62; i++) { // more than an hour: derived funding ticks
        clock.addAndGet(61);
        assertThat(node.priceFeed().step()).isTrue();
      }
      original = node.gateway().readModel();
      for (int a : ACCOUNTS) {
        fillsBefore.put(a, original.fills(a, -1, HistoryCursor.NEWEST, 1000).items());
      }
      for (int m : DemoMarkets.marketIds()) {
        fundingBefore.put(m, original.fundingHistory(m, HistoryCursor.NEWEST, 1000).items());
      }
      encoded = original.encodeSnapshot(original.journalSeq());
    }
    // the history is not in the snapshot: the restored read model reads the node's history store
    assertThat(encoded.length).as("no history in the read side").isLessThan(4096);
    HistoryStore history = HistoryStore.open(dir.resolve(HistoryStore.DIR));
    ReadModel restored = new ReadModel(DemoMarkets.riskEngine().config(), history);
    restored.restoreSnapshot(encoded);
    assertThat(restored.encodeSnapshot(original.journalSeq())).isEqualTo(encoded);
    assertThat(restored.journalSeq()).isEqualTo(original.journalSeq());
    assertThat(restored.markets()).isEqualTo(original.markets());
    assertThat(restored.marketStates(-1)).isEqualTo(original.marketStates(-1));
    for (int m : DemoMarkets.marketIds()) {
      assertThat(restored.book(m, 1000)).isEqualTo(original.book(m, 1000));
      assertThat(restored.fundingHistory(m, HistoryCursor.NEWEST, 1000).items())
          .isEqualTo(fundingBefore.get(m));
    }
    assertThat(fundingBefore.get(2))
        .as("derived funding ticks carry their numbers")
        .anySatisfy(f -> assertThat(f.derived()).isNotNull());
    assertThat(original.openOrders(5, -1))
        .singleElement()
        .satisfies(o -> assertThat(o.conditional()).isTrue());
    int fills = 0;
    for (int a : ACCOUNTS) {
      assertThat(restored.account(a)).isEqualTo(original.account(a));
      assertThat(restored.openOrders(a, -1)).isEqualTo(original.openOrders(a, -1));
      assertThat(restored.highestNonce(a)).isEqualTo(original.highestNonce(a));
      assertThat(restored.fills(a, -1, HistoryCursor.NEWEST, 1000).items())
          .isEqualTo(fillsBefore.get(a));
      fills += fillsBefore.get(a).size();
    }
    assertThat(fills).as("some orders traded").isPositive();
    assertThat(original.account(0).positions()).isNotEmpty();

    // malformed: cut short, bad magic, trailing bytes — typed error, nothing restored
    for (byte[] bad :
        new byte[][] {
          Arrays.copyOf(encoded, encoded.length / 2),
          corruptMagic(encoded),
          Arrays.copyOf(encoded, encoded.length + 1)
        }) {
      ReadModel empty = new ReadModel(DemoMarkets.riskEngine().config());
      assertThatThrownBy(() -> empty.restoreSnapshot(bad))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("read model snapshot");
      assertThat(empty.journalSeq()).isZero();
      assertThat(empty.markets()).isEmpty();
      assertThat(empty.account(0).collateral()).isZero();
    }
    // only into an empty read model
    assertThatThrownBy(() -> restored.restoreSnapshot(encoded))
        .isInstanceOf(IllegalStateException.class);
    // and only at the record the read model is at
    assertThatThrownBy(() -> restored.encodeSnapshot(original.journalSeq() - 1))
        .isInstanceOf(IllegalStateException.class);
    history.close();
  }

  private static final int[] ACCOUNTS = {0, 1, 2, 3, 5, RiskEngine.INSURANCE_FUND};

  private static byte[] corruptMagic(byte[] b) {
    byte[] c = b.clone();
    c[0] ^= 1;
    return c;
  }
}
