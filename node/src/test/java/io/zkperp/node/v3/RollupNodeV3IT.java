package io.zkperp.node.v3;

import static io.zkperp.node.v3.OrderScenario.MAKER;
import static io.zkperp.node.v3.OrderScenario.TAKER;
import static io.zkperp.node.v3.V3NodeItSupport.FINALITY;
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
import static io.zkperp.node.v3.V3SettlementWaits.batchLastSeq;
import static io.zkperp.node.v3.V3SettlementWaits.settlement;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.client.TransactionFormat;
import io.zkperp.client.ZkPerpClient;
import io.zkperp.l1.AnvilProcess;
import io.zkperp.l1.DevAccounts;
import io.zkperp.l1.L1Session;
import io.zkperp.l1.contracts.TestUSD;
import io.zkperp.l1.contracts.ZkPerpRollupV3;
import io.zkperp.node.BatchRecord;
import io.zkperp.node.BatchStatus;
import io.zkperp.node.NodeConfig;
import io.zkperp.node.RollupNode;
import io.zkperp.node.v3.V3NodeItSupport.Rpc;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.sequencer.Side;
import io.zkperp.state.v2.StateViewV2;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;

/**
 * Piece 8 of the v3 wiring (node/README.md): a {@link RollupNode} opened with {@link
 * NodeConfig#withV3} on a fresh anvil (chain 31337). The node's own {@link V3Stores} write the
 * genesis the fixture rollup is deployed with ({@link FixtureRollup}: the fixture address, so the
 * cached v3-tiny keys serve); two traders deposit on L1; the node's watcher credits them; the
 * operator lists market 2 and submits a tick and a 3-of-3 signed oracle price through the engine
 * path (no RPC method takes prices); a maker's sell and a taker's crossing buy, signed for the
 * deployment's domain, go over {@code perp_placeOrder}. The node's {@link SettlementV3} seals
 * v3-tiny batches, a real prover worker process proves them for the deployment's domain and the
 * node's submitter commits them to {@code ZkPerpRollupV3}. Pieces 6 and 7: the node's {@code
 * perp_getDomain} names format 2; a format 1 withdrawal signature over {@code perp_withdraw} is
 * {@code BAD_SIGNATURE}, and so are transfers over {@code perp_transfer} signed in format 1 or in
 * format 2 for another rollup or chain, none journaled (both nonces stay 0 and the next record is
 * the fill's successor); the taker's format 2 transfer of 40,000 to the maker through {@link
 * ZkPerpClient#transfer} (v3-tiny has a transfer slot, read from {@link V3Shapes}) moves exactly
 * that over {@code perp_getAccount}, and the maker's format 2 withdrawal through {@link
 * ZkPerpClient} follows it. Asserted: the settlement never pauses, {@code perp_getSettlement} of
 * the withdrawal passes accepted → … → COMMITTED → FINAL in order (the states a 100 ms poll sees),
 * the fill and the transfer FINAL too, L1's root is the node's v3 tree root, both priority
 * operations consumed, six steps in the batches, both accounts' collateral in the v3 tree moved by
 * exactly the transfer (and the maker's by the withdrawal) as {@code perp_getAccount} says, {@code
 * perp_getBatch} FINAL with the withdrawal its last record, the withdrawal claimed from {@code
 * ZkPerpRollupV3} with exact TestUSD balances (maker 250,000, taker 0, vault 1,750,000). The node
 * snapshots every 2 records: a restart starts from a snapshot at or before the last batch's last
 * record, replays only the records after it and seals nothing new; then a buy fills the maker's
 * second sell, resting since before the snapshot (its signed order restored from the snapshot), and
 * that trade is sealed, proven and committed with L1's root = the tree's. The test's thread.
 */
class RollupNodeV3IT {
  static final long WITHDRAWN = 250_000; // of the maker's deposit, after the trade
  static final long TRANSFERRED = 40_000; // from the taker to the maker, after the trade

  @Test
  void depositsAndATradeAreSettledProvenAndCommittedAsFormatV3ThroughTheNode(@TempDir Path dir)
      throws Exception {
    try (AnvilProcess anvil = startAnvil();
        L1Session l1 = L1Session.connect(anvil.rpcUrl())) {
      // a snapshot every 2 journal records: the restart below starts from one
      NodeConfig cfg =
          config(dir, anvil.rpcUrl()).withSnapshots(new NodeConfig.Snapshots(2, 0, 2, null));
      V3Genesis genesis = genesis(cfg);
      FixtureRollup fixture = deployWithDeposits(l1, genesis);
      Credentials maker = DevAccounts.account(1);
      Credentials taker = DevAccounts.account(2);

      long batches;
      long restingSeq;
      try (RollupNode node = RollupNode.open(cfg)) {
        assertThat(node.settlement()).as("no format v2 settlement").isNull();
        assertThat(node.tree()).as("no layout v1 tree").isNull();
        assertThat(node.v3Tree().genesis()).isEqualTo(genesis);
        // an oracle tick (the node's demo signers, 3 of 3) and a trade over perp_placeOrder, both
        // orders signed for the deployment's domain; the market is listed by the operator (the
        // node lists none; the genesis has its leaf)
        Rpc rpc = new Rpc(node.gateway().port());
        long now = System.currentTimeMillis() / 1000;
        creditAndPrice(anvil, node, now);
        JsonNode ask = place(rpc, MAKER, Side.SELL);
        assertThat(ask.path("result").path("status").asText()).as(ask.toString()).isEqualTo("OPEN");
        // a second sell one tick higher rests across the restart below (the translator keeps its
        // signed order; after the restart it comes from the snapshot)
        JsonNode resting = place(rpc, MAKER, Side.SELL, PRICE + 1, 2);
        assertThat(resting.path("result").path("status").asText())
            .as(resting.toString())
            .isEqualTo("OPEN");
        restingSeq = resting.path("result").path("journalSeq").asLong();
        JsonNode bid = place(rpc, TAKER, Side.BUY);
        assertThat(bid.path("result").path("status").asText())
            .as(bid.toString())
            .isEqualTo("FILLED");
        long fillSeq = bid.path("result").path("journalSeq").asLong();

        // piece 6: withdrawals and transfers over RPC in format 2, in the deployment's domain
        ZkPerpClient client =
            new ZkPerpClient(URI.create("http://127.0.0.1:" + node.gateway().port() + "/"));
        assertThat(client.transactionFormat()).isEqualTo(TransactionFormat.FORMAT_2);
        assertThat(client.domain()).isEqualTo(FixtureChain.DOMAIN);
        L1Address makerOwner = L1Address.fromHex(maker.getAddress());
        EdDsaPrivateKey takerKey = FixtureChain.key(TAKER);
        // a format 1 signature is refused, nothing journaled
        byte[] format1 =
            TransactionFormat.FORMAT_1.signWithdrawal(
                FixtureChain.key(MAKER), FixtureChain.DOMAIN, MAKER, makerOwner, WITHDRAWN, 0);
        assertThat(
                refusal(
                    rpc,
                    "perp_withdraw",
                    Map.of("account", MAKER, "amount", WITHDRAWN, "nonce", 0),
                    format1))
            .isEqualTo("BAD_SIGNATURE");

        // a transfer (v3-tiny has a transfer slot) from the taker to the maker over perp_transfer:
        // format 1 and format 2 for another domain are refused, nothing journaled; format 2 in the
        // deployment's domain through the SDK is taken and changes both collaterals by exactly
        // the amount
        assertThat(V3Shapes.shape(FixtureChain.SHAPE_NAME).transfers()).isPositive();
        MessageDomain otherRollup =
            MessageDomain.of(
                FixtureChain.DOMAIN.chainId(),
                L1Address.fromHex("0x00000000000000000000000000000000000000aa"));
        MessageDomain otherChain = MessageDomain.of(1, FixtureChain.DOMAIN.rollupAddress());
        for (byte[] bad :
            List.of(
                TransactionFormat.FORMAT_1.signTransfer(
                    takerKey, FixtureChain.DOMAIN, TAKER, MAKER, TRANSFERRED, 0),
                TransactionFormat.FORMAT_2.signTransfer(
                    takerKey, otherRollup, TAKER, MAKER, TRANSFERRED, 0),
                TransactionFormat.FORMAT_2.signTransfer(
                    takerKey, otherChain, TAKER, MAKER, TRANSFERRED, 0))) {
          assertThat(
                  refusal(
                      rpc,
                      "perp_transfer",
                      Map.of("from", TAKER, "to", MAKER, "amount", TRANSFERRED, "nonce", 0),
                      bad))
              .isEqualTo("BAD_SIGNATURE");
        }
        assertThat(node.accounts().account(MAKER).nextNonce()).isZero();
        assertThat(node.accounts().account(TAKER).nextNonce()).isZero();
        long makerBefore = collateral(client, MAKER);
        long takerBefore = collateral(client, TAKER);
        long transferSeq =
            client.transfer(takerKey, TAKER, MAKER, TRANSFERRED, 0).path("journalSeq").asLong();
        assertThat(transferSeq).as("the refusals journaled nothing").isEqualTo(fillSeq + 1);
        assertThat(node.accounts().account(TAKER).nextNonce()).isOne();
        assertThat(collateral(client, MAKER)).isEqualTo(makerBefore + TRANSFERRED);
        assertThat(collateral(client, TAKER)).isEqualTo(takerBefore - TRANSFERRED);

        long withdrawalSeq =
            client
                .withdraw(FixtureChain.key(MAKER), MAKER, makerOwner, WITHDRAWN, 0)
                .path("journalSeq")
                .asLong();
        assertThat(withdrawalSeq).as("the refusals journaled nothing").isEqualTo(transferSeq + 1);

        // the withdrawal's batch committed on L1 (the fill's and the transfer's at or before it),
        // its finality states as perp_getSettlement shows them, in order
        List<String> seen = new ArrayList<>();
        long withdrawalBatch = awaitCommitted(node, rpc, withdrawalSeq, seen);
        JsonNode settled = settlement(rpc, withdrawalSeq);
        long fillBatch = -1;
        for (long seq : List.of(fillSeq, transferSeq)) {
          JsonNode earlier = settlement(rpc, seq);
          assertThat(earlier.path("status").asText()).as(earlier.toString()).isEqualTo("COMMITTED");
          assertThat(earlier.path("batch").asLong()).isLessThanOrEqualTo(withdrawalBatch);
          if (seq == fillSeq) {
            fillBatch = earlier.path("batch").asLong();
          }
        }
        assertThat(fixture.rollup().lastBatchNumber().send())
            .isEqualTo(BigInteger.valueOf(withdrawalBatch));
        assertThat(fixture.rollup().stateRoot().send())
            .as("L1's root is the node's v3 tree root")
            .isEqualTo(node.v3Tree().store().roots().stateRoot().toBigInteger());
        assertThat(fixture.rollup().consumedPriorityOps().send()).isEqualTo(BigInteger.TWO);
        List<BatchRecord> all = node.batches().range(1, 10);
        assertThat(all).hasSize((int) withdrawalBatch);
        assertThat(all.stream().mapToInt(BatchRecord::priorityCount).sum()).isEqualTo(2);
        // the steps: two deposits, the oracle tick, the trade, the transfer, the withdrawal
        // (AddMarket and Tick have none)
        assertThat(all.stream().mapToInt(BatchRecord::txCount).sum()).isEqualTo(6);

        mine(anvil, FINALITY);
        await(
            "the withdrawal's batch final",
            () -> status(node, withdrawalBatch) == BatchStatus.FINAL,
            30);
        JsonNode batch = rpc.call("perp_getBatch", Map.of("batch", withdrawalBatch)).path("result");
        assertThat(batch.path("status").asText()).isEqualTo("FINAL");
        assertThat(batch.path("firstJournalSeq").asLong()).isLessThanOrEqualTo(withdrawalSeq);
        assertThat(batch.path("lastJournalSeq").asLong())
            .as("the withdrawal is the last step")
            .isEqualTo(withdrawalSeq);
        assertThat(batch.path("l1TxHash").asText()).isEqualTo(settled.path("l1TxHash").asText());
        JsonNode fillBatchJson =
            rpc.call("perp_getBatch", Map.of("batch", fillBatch)).path("result");
        assertThat(fillBatchJson.path("firstJournalSeq").asLong()).isLessThanOrEqualTo(fillSeq);
        assertThat(fillBatchJson.path("lastJournalSeq").asLong()).isGreaterThanOrEqualTo(fillSeq);
        for (long seq : List.of(fillSeq, transferSeq, withdrawalSeq)) {
          assertThat(settlement(rpc, seq).path("status").asText()).as("%d", seq).isEqualTo("FINAL");
        }
        // the transfer in the v3 tree: the taker's collateral down by exactly the amount, the
        // maker's up by it (less the withdrawal), as perp_getAccount says
        try (StateViewV2 v = node.v3Tree().store().view()) {
          assertThat(v.account(TAKER).collateral()).isEqualTo(takerBefore - TRANSFERRED);
          assertThat(v.account(MAKER).collateral())
              .isEqualTo(makerBefore + TRANSFERRED - WITHDRAWN);
        }
        assertThat(collateral(client, TAKER)).isEqualTo(takerBefore - TRANSFERRED);
        assertThat(collateral(client, MAKER)).isEqualTo(makerBefore + TRANSFERRED - WITHDRAWN);
        seen.add("FINAL");
        List<String> order =
            List.of("accepted", "SEALED", "PROVING", "PROVEN", "COMMITTED", "FINAL");
        assertThat(seen).as("the withdrawal's states, in order").first().isEqualTo("accepted");
        assertThat(seen).containsSubsequence("accepted", "COMMITTED", "FINAL");
        for (int i = 1; i < seen.size(); i++) {
          assertThat(order.indexOf(seen.get(i)))
              .as("%s in order", seen)
              .isGreaterThan(order.indexOf(seen.get(i - 1)));
        }

        // piece 7: the withdrawal claimed on L1 from ZkPerpRollupV3, exact ERC-20 balances
        BigInteger withdrawn = BigInteger.valueOf(WITHDRAWN);
        assertThat(fixture.rollup().withdrawable(maker.getAddress()).send()).isEqualTo(withdrawn);
        ZkPerpRollupV3 asMaker =
            ZkPerpRollupV3.load(
                FixtureRollup.ADDRESS, l1.web3j(), l1.transactionManager(maker), l1.gas());
        l1.send(maker.getAddress(), FixtureRollup.ADDRESS, asMaker.withdraw(), "withdraw");
        TestUSD usd =
            TestUSD.load(
                fixture.token(), l1.web3j(), l1.transactionManager(fixture.deployer()), l1.gas());
        assertThat(usd.balanceOf(maker.getAddress()).send()).isEqualTo(withdrawn);
        assertThat(usd.balanceOf(taker.getAddress()).send()).isZero();
        assertThat(usd.balanceOf(FixtureRollup.ADDRESS).send())
            .isEqualTo(BigInteger.valueOf(2 * OrderScenario.DEPOSIT).subtract(withdrawn));
        assertThat(fixture.rollup().withdrawable(maker.getAddress()).send()).isZero();
        // one record after the fill that adds no step (a buy that rests), and a snapshot at or
        // after the fill written
        JsonNode low = place(rpc, TAKER, Side.BUY, PRICE - 1, 3);
        assertThat(low.path("result").path("status").asText()).as(low.toString()).isEqualTo("OPEN");
        await(
            "a snapshot at or after the fill's record",
            () -> node.snapshotter().writtenSeq() >= fillSeq,
            30);
        batches = withdrawalBatch;
      }
      // a restart starts from the newest snapshot at or before the fill (the record before the
      // settlement's resume point), after the resting sell, replays only the journal after it and
      // settles nothing twice
      try (RollupNode node = RollupNode.open(cfg)) {
        RollupNode.Recovery rec = node.recovery();
        assertThat(rec.snapshotSeq())
            .as("%s", rec)
            .isLessThanOrEqualTo(batchLastSeq(node, batches))
            .isGreaterThanOrEqualTo(restingSeq);
        assertThat(rec.replayed()).as("%s", rec).isEqualTo(rec.lastSeq() - rec.snapshotSeq());
        assertThat(rec.replayed()).as("%s: not the whole journal", rec).isLessThan(rec.lastSeq());
        Thread.sleep(3_000);
        assertThat(node.batches().get(batches + 1)).isEmpty();
        assertThat(node.settlementStage().pausedAt()).isZero();
        assertThat(node.v3Tree().store().roots().stateRoot().toBigInteger())
            .isEqualTo(fixture.rollup().stateRoot().send());
        // the taker buys the sell resting since before the snapshot: its signed order is the
        // snapshot's; the trade is sealed, proven and committed on L1
        Rpc rpc = new Rpc(node.gateway().port());
        JsonNode bid = place(rpc, TAKER, Side.BUY, PRICE + 1, 2);
        assertThat(bid.path("result").path("status").asText())
            .as(bid.toString())
            .isEqualTo("FILLED");
        long fillSeq = bid.path("result").path("journalSeq").asLong();
        assertThat(awaitCommitted(node, rpc, fillSeq)).isEqualTo(batches + 1);
        assertThat(fixture.rollup().stateRoot().send())
            .as("L1's root is the node's v3 tree root after the trade")
            .isEqualTo(node.v3Tree().store().roots().stateRoot().toBigInteger());
        batches++;
      }
      // another oracle quorum is another genesis: refused, the stored one kept
      NodeConfig.OracleSigners quorum3 =
          new NodeConfig.OracleSigners(NodeConfig.OracleSigners.DEMO.signers(), 3);
      assertThatThrownBy(() -> RollupNode.open(cfg.withOracleSigners(quorum3)))
          .isInstanceOf(IOException.class)
          .hasCauseInstanceOf(GenesisMismatchException.class);
      try (V3Stores stores =
          V3Stores.open(cfg, cfg.riskEngine(), FixtureChain.DOMAIN, RollupNode.KEPT_VERSIONS)) {
        assertThat(stores.tree().genesis()).isEqualTo(genesis);
      }
    }
  }

  /**
   * Calls a signed-transaction method ({@code perp_withdraw}, {@code perp_transfer}) that must
   * refuse: the fields with the signature added.
   *
   * @return the refusal's typed reason ({@code error.data.error})
   */
  private static String refusal(
      Rpc rpc, String method, Map<String, Object> fields, byte[] signature) throws Exception {
    Map<String, Object> params = new LinkedHashMap<>(fields);
    params.put("signature", "0x" + HexFormat.of().formatHex(signature));
    JsonNode answer = rpc.call(method, params);
    assertThat(answer.has("result")).as(answer.toString()).isFalse();
    return answer.path("error").path("data").path("error").asText();
  }

  /** The account's collateral as {@code perp_getAccount} gives it (read with its own grant). */
  private static long collateral(ZkPerpClient client, int account) throws Exception {
    return client.getAccount(FixtureChain.key(account), account).path("collateral").asLong();
  }

  @Test
  void v3IsRefusedWithoutL1OrWithAnotherProverShape(@TempDir Path dir) {
    NodeConfig cfg = config(dir, "http://127.0.0.1:1");
    assertThatThrownBy(() -> RollupNode.open(cfg.withL1(null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs the L1 side");
    assertThatThrownBy(() -> RollupNode.open(cfg.withV3(new NodeConfig.V3("v3-devnet", 1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("prover's shape is v3-tiny");
    assertThatThrownBy(() -> new NodeConfig.V3("tiny", 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a format v3 shape");
    assertThat(dir.resolve("node")).as("nothing opened").doesNotExist();
  }
}
