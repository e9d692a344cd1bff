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
import io.zkperp.batcher.v3.liquidation.LiquidationPublicData;
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
import org.junit.jupiter.api.function.Executable;
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
 * = the tree, the fund's leaf holding the record's collateral and position. No deleveraging. {@link
 * #aDeleveragingIsProvenInV3TinyAndCommittedOnL1} proves a deleveraging the same way (no bid: the
 * empty fund takes the first step over and cannot pay for the rest once the taker is bankrupt). The
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
  static final int DELEVERAGE_RECORD = LiquidationPublicData.DELEVERAGE; // a deleveraging's
  static final long BANKRUPT = 910; // 4.7 % below CRASH: the taker's equity < 0

  /** Old and new root, batch number, T, priority hash before and after, priority count. */
  static final int COMMITMENT_HEADER = 32 + 32 + 8 + 8 + 32 + 32 + 4;

  @Test
  void aLiquidationFillAndATakeoverAreProvenInV3TinyAndCommittedOnL1(@TempDir Path dir)
      throws Throwable {
    onNode(dir, this::fillAndTakeover);
  }

  private void fillAndTakeover() throws Exception {
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
    assertL1RootIsTheTreeRoot(fixture, node);
    BatchRecord record = node.batches().get(batch).orElseThrow();
    assertThat(record.firstSeq()).isLessThanOrEqualTo(seq);
    assertThat(record.lastSeq()).isGreaterThanOrEqualTo(seq);
    // the commitment the proof is of: header (148 bytes) then S records, one of them the
    // liquidation fill (type 6) in v3-tiny's liquidation slot
    var shape = V3Shapes.shape(FixtureChain.SHAPE_NAME);
    assertThat(record.commitment()).hasSize(COMMITMENT_HEADER + shape.steps() * shape.recordSize());
    assertThat(recordTypes(record))
        .as("record types of batch %d", batch)
        .contains(LIQUIDATION_RECORD);
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
    assertTreeHolds(node, List.of(taker, maker));
    try (StateViewV2 v = node.v3Tree().store().view()) {
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
    assertL1RootIsTheTreeRoot(fixture, node);
    assertThat(recordTypes(node.batches().get(batch2).orElseThrow()))
        .contains(LIQUIDATION_RECORD, TAKEOVER_RECORD);
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

  /**
   * A deleveraging proven and committed on L1: the node's insurance fund starts empty (its genesis
   * leaf holds no collateral and {@code TopUpInsuranceFund} is unprovable in v3). The taker's long
   * of 15,000 at 1,000 (15×) and no bid: at a signed 955 the liquidation order finds no liquidity
   * and the fund takes the step (1,500) over at the taker's bankruptcy price, which leaves the fund
   * long 1,500 with little equity. At a signed 910 (4.7 % below 955) the taker's equity is &lt; 0
   * and the fund's would go below 0 with the rest (its own long lost 1,500 × 45 too), so the engine
   * deleverages the taker's 13,500 against the only opposite position, the maker's short, at the
   * taker's bankruptcy price. Asserted: the two steps' records; both batches proven by a real
   * prover worker and COMMITTED, the second holding a deleveraging record (type 0x0B) in its
   * commitment; L1's root = the node's tree root; FINAL; both accounts over {@code perp_getAccount}
   * = the {@code Deleveraged} record = the v3 tree (the taker flat with what the bankruptcy price
   * leaves, 0 ≤ collateral &lt; 13,500; the maker's short shrunk to 1,500).
   */
  @Test
  void aDeleveragingIsProvenInV3TinyAndCommittedOnL1(@TempDir Path dir) throws Throwable {
    onNode(dir, this::takeoverThenDeleveraging);
  }

  private void takeoverThenDeleveraging() throws Exception {
    // 955, no bid: the liquidation order fills nothing and the empty fund takes the step over
    CommandOutcome.Accepted crash = signedPrice(node, CRASH, now + 1);
    SequencerEvent.InsuranceTakeover takeover =
        onlyLiquidationRecord(crash, SequencerEvent.InsuranceTakeover.class);
    assertThat(takeover.account()).isEqualTo(TAKER);
    assertThat(takeover.size()).isEqualTo(-STEP);
    assertThat(takeover.fundCollateralBefore()).as("the fund starts empty").isZero();
    assertThat(takeover.fundPositionAfter()).isEqualTo(STEP);
    long batch = awaitCommitted(node, rpc, crash.journalSeq());
    assertThat(recordTypes(node.batches().get(batch).orElseThrow()))
        .contains(TAKEOVER_RECORD)
        .doesNotContain(DELEVERAGE_RECORD);
    assertL1RootIsTheTreeRoot(fixture, node);

    // 910: the taker is bankrupt and the fund cannot take the rest: deleveraged against the maker
    CommandOutcome.Accepted bankrupt = signedPrice(node, BANKRUPT, now + 2);
    SequencerEvent.Deleveraged d =
        onlyLiquidationRecord(bankrupt, SequencerEvent.Deleveraged.class);
    long rest = LEVERED - STEP;
    assertThat(d.account()).isEqualTo(TAKER);
    assertThat(d.counterparty()).isEqualTo(MAKER);
    assertThat(d.market()).isEqualTo(MARKET);
    assertThat(d.size()).as("signed: the long is closed").isEqualTo(-rest);
    assertThat(d.positionAfter()).isZero();
    assertThat(d.counterpartyPositionAfter()).as("the maker's short shrunk").isEqualTo(-STEP);
    assertThat(d.oraclePrice()).isEqualTo(BANKRUPT << 32);
    assertThat(d.price())
        .as("a bankrupt long's bankruptcy price is above the oracle")
        .isGreaterThan(BANKRUPT);
    // at the bankruptcy price, no fee: the cash moves by size · price exactly, and closing the
    // whole position there leaves the taker the rounding only (in its favour, under one quantum
    // per unit)
    assertThat(d.collateralAfter()).isEqualTo(d.collateralBefore() - d.size() * d.price());
    assertThat(d.counterpartyCollateralAfter())
        .isEqualTo(d.counterpartyCollateralBefore() + d.size() * d.price());
    assertThat(d.collateralAfter()).isBetween(0L, rest - 1);
    // by hand: the taker's collateral after the buy is 1,000,000 − 15,000,000 − 7,500 (taker fee)
    // = −14,007,500; at 955 its equity is 317,500, the step's share 31,750, so the fund takes
    // 1,500 at ⌈955 − 31,750 / 1,500⌉ = 934 (collateral −12,606,500, the fund's −1,401,000); at 910
    // the taker's equity is −12,606,500 + 13,500 · 910 = −321,500 and the fund's −1,401,000 +
    // 1,500 · 910 = −36,000 (it cannot pay), so the 13,500 go to the maker at ⌈910 + 321,500 /
    // 13,500⌉ = 934: the taker keeps 2,500, the maker 1,000,000 + 15,000,000 − 3,000 (maker fee) −
    // 12,609,000 = 3,388,000
    assertThat(takeover.price()).isEqualTo(934);
    assertThat(takeover.fundCollateralAfter()).isEqualTo(-1_401_000);
    assertThat(d.price()).isEqualTo(934);
    assertThat(d.collateralBefore()).isEqualTo(-12_606_500);
    assertThat(d.collateralAfter()).isEqualTo(2_500);
    assertThat(d.counterpartyCollateralAfter()).isEqualTo(3_388_000);

    long seq = bankrupt.journalSeq();
    long batch2 = awaitCommitted(node, rpc, seq);
    BatchRecord record = node.batches().get(batch2).orElseThrow();
    assertThat(record.firstSeq()).isLessThanOrEqualTo(seq);
    assertThat(record.lastSeq()).isGreaterThanOrEqualTo(seq);
    assertThat(recordTypes(record))
        .as("the proven commitment of batch %d holds the deleveraging", batch2)
        .contains(DELEVERAGE_RECORD);
    assertThat(fixture.rollup().lastBatchNumber().send().longValueExact()).isEqualTo(batch2);
    assertL1RootIsTheTreeRoot(fixture, node);
    mine(anvil, FINALITY);
    await("the deleveraging's batch final", () -> status(node, batch2) == BatchStatus.FINAL, 30);
    assertThat(settlement(rpc, seq).path("status").asText()).isEqualTo("FINAL");

    JsonNode taker = account(client, TAKER);
    JsonNode maker = account(client, MAKER);
    assertThat(position(taker)).isZero();
    assertThat(taker.path("collateral").asLong()).isEqualTo(d.collateralAfter());
    assertThat(position(maker)).isEqualTo(d.counterpartyPositionAfter());
    assertThat(maker.path("collateral").asLong()).isEqualTo(d.counterpartyCollateralAfter());
    assertTreeHolds(node, List.of(taker, maker));
    assertThat(node.settlementStage().pausedAt()).isZero();
  }

  // the running scenario's parts, set by onNode (one test instance per test method)
  private AnvilProcess anvil;
  private FixtureRollup fixture;
  private RollupNode node;
  private Rpc rpc;
  private ZkPerpClient client;
  private long now;

  /**
   * A fresh anvil with the fixture rollup and both deposits, a v3-tiny node on it, market 2 listed
   * and priced at 1,000, and the taker's long of {@link #LEVERED} bought from the maker's sell (the
   * engine's liquidation price between {@link #CRASH} and 1,000); then the scenario.
   */
  private void onNode(Path dir, Executable scenario) throws Throwable {
    try (AnvilProcess a = startAnvil();
        L1Session l1 = L1Session.connect(a.rpcUrl())) {
      anvil = a;
      NodeConfig cfg = config(dir, anvil.rpcUrl());
      assertThat(V3Shapes.shape(FixtureChain.SHAPE_NAME).liquidations()).isPositive();
      V3Genesis genesis = genesis(cfg);
      fixture = deployWithDeposits(l1, genesis);
      try (RollupNode n = RollupNode.open(cfg)) {
        node = n;
        rpc = new Rpc(node.gateway().port());
        client = new ZkPerpClient(URI.create("http://127.0.0.1:" + node.gateway().port() + "/"));
        now = System.currentTimeMillis() / 1000;
        creditAndPrice(anvil, node, now);
        JsonNode ask = place(rpc, MAKER, Side.SELL, PRICE, 1, LEVERED);
        assertThat(ask.path("result").path("status").asText()).as(ask.toString()).isEqualTo("OPEN");
        JsonNode buy = place(rpc, TAKER, Side.BUY, PRICE, 1, LEVERED);
        assertThat(buy.path("result").path("status").asText())
            .as(buy.toString())
            .isEqualTo("FILLED");
        scenario.execute();
      }
    }
  }

  /**
   * The command's one liquidation record (a liquidation fill, takeover or deleveraging), which must
   * be of the given type.
   */
  private static <E extends SequencerEvent> E onlyLiquidationRecord(
      CommandOutcome.Accepted outcome, Class<E> type) {
    List<SequencerEvent> records =
        outcome.events().stream()
            .filter(
                e ->
                    e instanceof SequencerEvent.Liquidated
                        || e instanceof SequencerEvent.InsuranceTakeover
                        || e instanceof SequencerEvent.Deleveraged)
            .toList();
    assertThat(records).as("%s", outcome.events()).hasSize(1).hasOnlyElementsOfType(type);
    return type.cast(records.get(0));
  }

  /** The type byte of each of a batch's S records in its commitment (after the header). */
  private static List<Integer> recordTypes(BatchRecord batch) {
    var shape = V3Shapes.shape(FixtureChain.SHAPE_NAME);
    byte[] commitment = batch.commitment();
    List<Integer> types = new ArrayList<>();
    for (int o = COMMITMENT_HEADER; o < commitment.length; o += shape.recordSize()) {
      types.add(commitment[o] & 0xff);
    }
    return types;
  }

  private static void assertL1RootIsTheTreeRoot(FixtureRollup fixture, RollupNode node)
      throws Exception {
    assertThat(fixture.rollup().stateRoot().send())
        .as("L1's root is the node's v3 tree root")
        .isEqualTo(node.v3Tree().store().roots().stateRoot().toBigInteger());
  }

  /** Each account's collateral and market-2 position over RPC are its v3 tree leaf's. */
  private static void assertTreeHolds(RollupNode node, List<JsonNode> accounts) throws Exception {
    try (StateViewV2 v = node.v3Tree().store().view()) {
      for (JsonNode a : accounts) {
        AccountV2 leaf = v.account(a.path("account").asLong());
        assertThat(leaf.collateral()).isEqualTo(a.path("collateral").asLong());
        int i = leaf.positions().find(MARKET);
        long size = i < 0 ? 0 : leaf.positions().entries().get(i).size();
        assertThat(size).isEqualTo(position(a));
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
