package io.zkperp.node.v3;

import static io.zkperp.node.v3.OrderScenario.MAKER;
import static io.zkperp.node.v3.OrderScenario.TAKER;
import static io.zkperp.node.v3.V3NodeItSupport.FINALITY;
import static io.zkperp.node.v3.V3NodeItSupport.MARKET;
import static io.zkperp.node.v3.V3NodeItSupport.PRICE;
import static io.zkperp.node.v3.V3NodeItSupport.await;
import static io.zkperp.node.v3.V3NodeItSupport.config;
import static io.zkperp.node.v3.V3NodeItSupport.creditAndPrice;
import static io.zkperp.node.v3.V3NodeItSupport.deployWithDeposits;
import static io.zkperp.node.v3.V3NodeItSupport.genesis;
import static io.zkperp.node.v3.V3NodeItSupport.mine;
import static io.zkperp.node.v3.V3NodeItSupport.place;
import static io.zkperp.node.v3.V3NodeItSupport.startAnvil;
import static io.zkperp.node.v3.V3NodeItSupport.status;
import static io.zkperp.node.v3.V3SettlementWaits.awaitCommitted;
import static io.zkperp.node.v3.V3SettlementWaits.settlement;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.client.ZkPerpClient;
import io.zkperp.gateway.bridge.CommandOutcome;
import io.zkperp.gateway.node.DemoMarkets;
import io.zkperp.l1.AnvilProcess;
import io.zkperp.l1.L1Session;
import io.zkperp.node.BatchRecord;
import io.zkperp.node.BatchStatus;
import io.zkperp.node.NodeConfig;
import io.zkperp.node.RollupNode;
import io.zkperp.node.v3.V3NodeItSupport.Rpc;
import io.zkperp.protocol.state.v2.AccountV2;
import io.zkperp.protocol.state.v2.LayoutV2;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.command.SignedOraclePrices;
import io.zkperp.sequencer.core.SequencerEvent;
import io.zkperp.sequencer.risk.oracle.PriceReport;
import io.zkperp.sequencer.risk.oracle.PriceReportSigning;
import io.zkperp.state.v2.StateViewV2;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A liquidation proven and committed on L1 by a format v3 {@link RollupNode} on v3-tiny (its
 * liquidation-fill slot): on a fresh anvil with the fixture rollup, the maker and the taker deposit
 * 1,000,000 each; after a signed oracle price of 1,000 the taker buys 15,000 of market 2 from the
 * maker's sell over {@code perp_placeOrder} (15× leverage: initial margin 5 %, maintenance 3 %),
 * and the maker rests a bid of 2,000 at 950. A signed oracle price of 955 (a 4.5 % move, under the
 * oracle's 5 % bound) puts the taker below its maintenance margin: the engine's liquidation order
 * sells one step (10 % of the position, 1,500) into the maker's bid, which absorbs all of it (no
 * takeover of a rest, no part split across counterparties: docs/perp-circuit.md §11.3 differences
 * 1–3 stay out of the scenario). Asserted: the engine records exactly that fill ({@code
 * Liquidated}, no takeover, no deleveraging); its batch is proven by a real prover worker and
 * COMMITTED to {@code ZkPerpRollupV3}, then FINAL, over {@code perp_getSettlement}, with the
 * settlement never paused; L1's root is the node's v3 tree root; the taker's and the maker's
 * positions and collaterals over {@code perp_getAccount} are the engine's record's and the v3
 * tree's. Then a signed price of 950: the next step (1,350) takes the bid's last 500 and the
 * insurance fund takes the other 850 over (the account still below maintenance after that fill, so
 * the takeover is provable); that batch, with a liquidation-fill and a takeover record, is
 * committed too, L1's root = the tree's, the taker over RPC = the {@code InsuranceTakeover} record
 * = the tree, the fund's leaf holding the record's collateral and position. No deleveraging. The
 * test's thread.
 */
class LiquidationV3IT {
  static final long LEVERED = 15_000; // the taker's long, market 2 at 1,000
  static final long BID_SIZE = 2_000; // the maker's resting bid, more than one liquidation step
  static final long BID = 950;
  static final long CRASH = 955;
  static final long STEP = LEVERED / 10; // LiquidationConfig.DEFAULT: 10 % per step
  static final int LIQUIDATION_RECORD = 6; // a liquidation fill's type byte (batchv3, liqstep)
  static final int TAKEOVER_RECORD = 7; // an insurance takeover's

  /** Old and new root, batch number, T, priority hash before and after, priority count. */
  static final int COMMITMENT_HEADER = 32 + 32 + 8 + 8 + 32 + 32 + 4;

  @Test
  void aLiquidationFillAndATakeoverAreProvenInV3TinyAndCommittedOnL1(@TempDir Path dir)
      throws Exception {
    try (AnvilProcess anvil = startAnvil();
        L1Session l1 = L1Session.connect(anvil.rpcUrl())) {
      NodeConfig cfg = config(dir, anvil.rpcUrl());
      assertThat(V3Shapes.shape(FixtureChain.SHAPE_NAME).liquidations()).isPositive();
      V3Genesis genesis = genesis(cfg);
      FixtureRollup fixture = deployWithDeposits(l1, genesis);
      try (RollupNode node = RollupNode.open(cfg)) {
        Rpc rpc = new Rpc(node.gateway().port());
        ZkPerpClient client =
            new ZkPerpClient(URI.create("http://127.0.0.1:" + node.gateway().port() + "/"));
        long now = System.currentTimeMillis() / 1000;
        creditAndPrice(anvil, node, now);

        JsonNode ask = place(rpc, MAKER, Side.SELL, PRICE, 1, LEVERED);
        assertThat(ask.path("result").path("status").asText()).as(ask.toString()).isEqualTo("OPEN");
        JsonNode buy = place(rpc, TAKER, Side.BUY, PRICE, 1, LEVERED);
        assertThat(buy.path("result").path("status").asText())
            .as(buy.toString())
            .isEqualTo("FILLED");
        JsonNode bid = place(rpc, MAKER, Side.BUY, BID, 2, BID_SIZE);
        assertThat(bid.path("result").path("status").asText()).as(bid.toString()).isEqualTo("OPEN");
        JsonNode before = account(client, TAKER);
        assertThat(position(before)).isEqualTo(LEVERED);
        long liquidationPrice = before.path("positions").get(0).path("liquidationPrice").asLong();
        assertThat(liquidationPrice)
            .as("the engine's liquidation price (32.32): %s", before)
            .isGreaterThan(CRASH << 32)
            .isLessThan(PRICE << 32);

        // the crash: one signed price below the taker's liquidation price
        CommandOutcome.Accepted crash = signedPrice(node, CRASH, now + 1);
        List<SequencerEvent.Liquidated> fills = new ArrayList<>();
        for (SequencerEvent e : crash.events()) {
          assertThat(e)
              .as("no takeover or deleveraging")
              .isNotInstanceOfAny(
                  SequencerEvent.InsuranceTakeover.class, SequencerEvent.Deleveraged.class);
          if (e instanceof SequencerEvent.Liquidated l) {
            fills.add(l);
          }
        }
        assertThat(fills).as("%s", crash.events()).hasSize(1);
        SequencerEvent.Liquidated fill = fills.get(0);
        assertThat(fill.account()).isEqualTo(TAKER);
        assertThat(fill.counterparty()).isEqualTo(MAKER);
        assertThat(fill.market()).isEqualTo(MARKET);
        assertThat(fill.size()).as("signed: the long sells").isEqualTo(-STEP);
        assertThat(fill.price()).as("the maker's bid").isEqualTo(BID);
        assertThat(fill.positionAfter()).isEqualTo(LEVERED - STEP);
        assertThat(fill.liquidationFee()).isPositive();

        // proven in v3-tiny's liquidation slot, committed, then final
        long seq = crash.journalSeq();
        long batch = awaitCommitted(node, rpc, seq);
        assertThat(fixture.rollup().lastBatchNumber().send().longValueExact()).isEqualTo(batch);
        assertThat(fixture.rollup().stateRoot().send())
            .as("L1's root is the node's v3 tree root")
            .isEqualTo(node.v3Tree().store().roots().stateRoot().toBigInteger());
        BatchRecord record = node.batches().get(batch).orElseThrow();
        assertThat(record.firstSeq()).isLessThanOrEqualTo(seq);
        assertThat(record.lastSeq()).isGreaterThanOrEqualTo(seq);
        // the commitment the proof is of: header (148 bytes) then S records, one of them the
        // liquidation fill (type 6) in v3-tiny's liquidation slot
        var shape = V3Shapes.shape(FixtureChain.SHAPE_NAME);
        byte[] commitment = record.commitment();
        assertThat(commitment).hasSize(COMMITMENT_HEADER + shape.steps() * shape.recordSize());
        List<Integer> types = new ArrayList<>();
        for (int o = COMMITMENT_HEADER; o < commitment.length; o += shape.recordSize()) {
          types.add(commitment[o] & 0xff);
        }
        assertThat(types).as("record types of batch %d", batch).contains(LIQUIDATION_RECORD);
        mine(anvil, FINALITY);
        await("the liquidation's batch final", () -> status(node, batch) == BatchStatus.FINAL, 30);
        assertThat(settlement(rpc, seq).path("status").asText()).isEqualTo("FINAL");

        // the liquidated account and its liquidator: the engine's record = RPC = the proven tree
        JsonNode taker = account(client, TAKER);
        JsonNode maker = account(client, MAKER);
        assertThat(position(taker)).isEqualTo(fill.positionAfter());
        assertThat(taker.path("collateral").asLong()).isEqualTo(fill.collateralAfter());
        assertThat(position(maker)).isEqualTo(fill.counterpartyPositionAfter());
        assertThat(position(maker)).isEqualTo(-LEVERED + STEP);
        assertThat(maker.path("collateral").asLong()).isEqualTo(fill.counterpartyCollateralAfter());
        try (StateViewV2 v = node.v3Tree().store().view()) {
          for (JsonNode a : List.of(taker, maker)) {
            AccountV2 leaf = v.account(a.path("account").asLong());
            assertThat(leaf.collateral()).isEqualTo(a.path("collateral").asLong());
            int i = leaf.positions().find(MARKET);
            assertThat(leaf.positions().entries().get(i).size()).isEqualTo(position(a));
          }
          assertThat(v.account(LayoutV2.INSURANCE_FUND_ACCOUNT).collateral())
              .as("the insurance fund holds the fee")
              .isEqualTo(fill.insuranceFundAfter());
        }
        assertThat(node.settlementStage().pausedAt()).isZero();

        // a second signed price, 950: the next step (10 % of 13,500) takes the bid's last 500 and
        // the insurance fund takes the rest over at the bankruptcy price — the account still below
        // its maintenance margin after the fill, so the takeover step proves it liquidatable
        CommandOutcome.Accepted second = signedPrice(node, BID, now + 2);
        List<SequencerEvent.Liquidated> fills2 = new ArrayList<>();
        List<SequencerEvent.InsuranceTakeover> takeovers = new ArrayList<>();
        for (SequencerEvent e : second.events()) {
          assertThat(e).isNotInstanceOf(SequencerEvent.Deleveraged.class);
          if (e instanceof SequencerEvent.Liquidated l) {
            fills2.add(l);
          } else if (e instanceof SequencerEvent.InsuranceTakeover t) {
            takeovers.add(t);
          }
        }
        assertThat(fills2).as("%s", second.events()).hasSize(1);
        assertThat(takeovers).as("%s", second.events()).hasSize(1);
        long rest = (LEVERED - STEP) / 10 - (BID_SIZE - STEP);
        assertThat(fills2.get(0).size()).isEqualTo(-(BID_SIZE - STEP));
        SequencerEvent.InsuranceTakeover takeover = takeovers.get(0);
        assertThat(takeover.size()).isEqualTo(-rest);
        long seq2 = second.journalSeq();
        long batch2 = awaitCommitted(node, rpc, seq2);
        assertThat(fixture.rollup().stateRoot().send())
            .as("L1's root is the node's v3 tree root after the takeover")
            .isEqualTo(node.v3Tree().store().roots().stateRoot().toBigInteger());
        byte[] c2 = node.batches().get(batch2).orElseThrow().commitment();
        List<Integer> types2 = new ArrayList<>();
        for (int o = COMMITMENT_HEADER; o < c2.length; o += shape.recordSize()) {
          types2.add(c2[o] & 0xff);
        }
        assertThat(types2).contains(LIQUIDATION_RECORD, TAKEOVER_RECORD);
        JsonNode takerAfter = account(client, TAKER);
        assertThat(position(takerAfter)).isEqualTo(takeover.positionAfter());
        assertThat(takerAfter.path("collateral").asLong()).isEqualTo(takeover.collateralAfter());
        try (StateViewV2 v = node.v3Tree().store().view()) {
          assertThat(v.account(TAKER).collateral()).isEqualTo(takeover.collateralAfter());
          AccountV2 fund = v.account(LayoutV2.INSURANCE_FUND_ACCOUNT);
          assertThat(fund.collateral()).isEqualTo(takeover.fundCollateralAfter());
          int i = fund.positions().find(MARKET);
          assertThat(fund.positions().entries().get(i).size())
              .isEqualTo(takeover.fundPositionAfter())
              .isEqualTo(rest);
        }
        assertThat(node.settlementStage().pausedAt()).isZero();
      }
    }
  }

  /** The account over {@code perp_getAccount} (read with its own grant). */
  private static JsonNode account(ZkPerpClient client, int account) throws Exception {
    return client.getAccount(FixtureChain.key(account), account);
  }

  /** The account's position in {@link V3NodeItSupport#MARKET} (0 without one). */
  private static long position(JsonNode account) {
    for (JsonNode p : account.path("positions")) {
      if (p.path("market").asInt() == MARKET) {
        return p.path("size").asLong();
      }
    }
    return 0;
  }

  /** A 3-of-3 signed oracle price through the engine path; it must be accepted. */
  private static CommandOutcome.Accepted signedPrice(RollupNode node, long price, long time)
      throws Exception {
    List<PriceReport> reports = new ArrayList<>();
    for (int s = 0; s < DemoMarkets.ORACLE_SIGNERS; s++) {
      reports.add(
          PriceReportSigning.sign(
              FixtureChain.DOMAIN, DemoMarkets.oracleKey(s), s, MARKET, price << 32, time));
    }
    CommandOutcome o =
        node.gateway()
            .bridge()
            .submit(new SignedOraclePrices(MARKET, reports))
            .get(10, TimeUnit.SECONDS);
    assertThat(o).isInstanceOf(CommandOutcome.Accepted.class);
    return (CommandOutcome.Accepted) o;
  }
}
