package io.zkperp.node.v3;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.l1.AnvilProcess;
import io.zkperp.l1.DevAccounts;
import io.zkperp.l1.L1Session;
import io.zkperp.l1.contracts.ZkPerpRollupV3;
import io.zkperp.node.BatchRecord;
import io.zkperp.node.BatchStatus;
import io.zkperp.node.BatchStore;
import io.zkperp.node.NodeConfig;
import io.zkperp.node.NodeProcess;
import io.zkperp.node.RollupNode;
import io.zkperp.node.SettlementInput;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.message.ReadGrantMessage;
import io.zkperp.sequencer.OrderType;
import io.zkperp.sequencer.SelfTradePrevention;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.TriggerType;
import io.zkperp.sequencer.book.OrderBookFactory;
import io.zkperp.sequencer.command.CreditL1Deposit;
import io.zkperp.sequencer.command.OrderSigning;
import io.zkperp.sequencer.command.PlaceOrder;
import io.zkperp.sequencer.core.CoreListener;
import io.zkperp.sequencer.core.SequencerEvent;
import io.zkperp.sequencer.journal.JournalReader;
import io.zkperp.sequencer.journal.JournalSegments;
import io.zkperp.sequencer.journal.Recovery;
import io.zkperp.sequencer.journal.SnapshotStore;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.abi.EventEncoder;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;

/**
 * Crash drill (a) of the format v3 node (issue [node]): the node ({@link V3KillDrillNodeMain}: a
 * v3-tiny {@link RollupNode} on the fixture deployment, snapshots every 3 records, its prover
 * worker, an oracle tick every 2 s through the engine path) runs as its own process and is
 * SIGKILLed {@code zkperp.node.v3drill.kills} times (default 20, at least 20) at random moments
 * (seed {@code zkperp.node.v3drill.seed}, printed) while signed orders (crossing, so fills happen)
 * go over {@code perp_placeOrder} and L1 deposits arrive. An order whose answer a kill cut off is
 * sent again after the restart with the same signature: a nonce or client-id refusal means it had
 * been journaled. After the last restart the node runs until batch 1 is committed on L1 (with
 * {@code zkperp.node.v3drill.commits=C}: until batches 1..C are, SIGKILLed once more right after
 * each commit but the last), then stops with SIGTERM. {@code zkperp.node.v3drill.windowMs} bounds
 * the load window after each start (default 1,500 ms; a longer one lets proofs and commits happen
 * between kills), {@code zkperp.node.v3drill.orderPauseMs} the pause between orders (0 to 19 ms by
 * default). Checked on its data directory: every order acknowledged (or found journaled by its
 * retry) is in the journal exactly once, at the acknowledged record, a refused one not at all;
 * every taker acknowledged FILLED or PARTIALLY_FILLED has its fill in the replay; the L1 deposits
 * are credited exactly once each, in queue order; the engine recovered from the node's snapshot
 * plus the journal after it equals a full replay of the journal; an independent {@link
 * CommandTranslator} + {@link V3Settler} replay on a fresh tree gives every stored batch's new root
 * (batches cut between commands) and the node's tree root; the stored batches are numbered 1..n,
 * chained root to root, and each journal step is in exactly one batch; L1's {@code BatchCommitted}
 * events are 1..m with no gap or duplicate, each with its stored batch's new root, L1's root is
 * batch m's, and its consumed priority operations are those of batches 1..m; restarts began at
 * snapshots with the translator restored; the settlement never paused. The test's thread (plus one
 * load thread per kill window).
 */
class RollupNodeV3KillIT {
  static final int ACCOUNTS = 3;
  static final Pattern SNAPSHOT_START =
      Pattern.compile("snapshot at record ([0-9]+) \\(the last sealed");

  @TempDir Path dir;
  NodeProcess node;
  V3NodeItSupport.Rpc rpc;
  AnvilProcess anvil;

  /** An order the load sent, and what became of it. */
  static final class Sent {
    final int account;
    final long nonce;
    final Side side;
    final long size;
    final long price;
    final byte[] signature;

    /** ACKED, REFUSED, JOURNALED_BEFORE (its retry was refused by nonce), LOST (no answer yet). */
    String outcome = "LOST";

    long journalSeq;
    String status = "";

    Sent(int account, long nonce, Side side, long size, long price) {
      this.account = account;
      this.nonce = nonce;
      this.side = side;
      this.size = size;
      this.price = price;
      this.signature =
          OrderSigning.sign(
                  FixtureChain.key(account),
                  FixtureChain.DOMAIN,
                  new PlaceOrder(
                      account,
                      V3NodeItSupport.MARKET,
                      side,
                      (int) nonce,
                      OrderType.LIMIT,
                      TimeInForce.GTC,
                      false,
                      size,
                      price,
                      1000,
                      4_000_000_000L,
                      nonce,
                      TriggerType.NONE,
                      0,
                      new byte[64]))
              .signature();
    }

    Map<String, Object> params() {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("account", account);
      p.put("market", V3NodeItSupport.MARKET);
      p.put("side", side.name());
      p.put("clientOrderId", nonce);
      p.put("size", size);
      p.put("price", price);
      p.put("feeCap", 1000);
      p.put("expiry", 4_000_000_000L);
      p.put("nonce", nonce);
      p.put("signature", "0x" + HexFormat.of().formatHex(signature));
      return p;
    }

    /** Records the node's answer; a refusal by nonce or client id on a retry: journaled before. */
    void answered(JsonNode r, boolean retry) {
      if (r.has("result")) {
        outcome = "ACKED";
        journalSeq = r.path("result").path("journalSeq").asLong();
        status = r.path("result").path("status").asText();
        return;
      }
      String err = r.path("error").path("data").path("error").asText();
      if (retry && (err.startsWith("NONCE_") || err.equals("DUPLICATE_CLIENT_ORDER_ID"))) {
        outcome = "JOURNALED_BEFORE";
      } else {
        outcome = "REFUSED";
        status = err.isEmpty() ? r.toString() : err;
      }
    }

    List<Long> key() {
      return List.of((long) account, nonce);
    }
  }

  @Test
  void sigkilledRepeatedlyUnderLoadLosesNothingAppliesNothingTwiceAndKeepsL1Contiguous()
      throws Exception {
    int kills = Math.max(20, Integer.getInteger("zkperp.node.v3drill.kills", 20));
    long seed = Long.getLong("zkperp.node.v3drill.seed", System.nanoTime());
    int windowMs = Integer.getInteger("zkperp.node.v3drill.windowMs", 1_500);
    int commitWaitS = Integer.getInteger("zkperp.node.v3drill.commitWaitS", 300);
    int commits = Math.max(1, Integer.getInteger("zkperp.node.v3drill.commits", 1));
    int orderPauseMs = Math.max(1, Integer.getInteger("zkperp.node.v3drill.orderPauseMs", 20));
    System.out.println(
        "[v3-kill-drill] seed "
            + seed
            + " (-Dzkperp.node.v3drill.seed="
            + seed
            + " repeats it), "
            + kills
            + " kills, windows up to "
            + windowMs
            + " ms, "
            + commits
            + " L1 commit(s) awaited");
    Random random = new Random(seed);
    Path out = dir.resolve("node.out");
    List<Sent> sent = new ArrayList<>();
    long[] nextNonce = new long[ACCOUNTS + 1];
    int deposits = 0;
    anvil = AnvilProcess.start(AnvilProcess.launcherFromSystemProperty(), 31_337, 60);
    try (L1Session l1 = L1Session.connect(anvil.rpcUrl())) {
      NodeConfig cfg = V3KillDrillNodeMain.config(dir, anvil.rpcUrl());
      V3Genesis genesis;
      try (V3Stores stores =
          V3Stores.open(cfg, cfg.riskEngine(), FixtureChain.DOMAIN, RollupNode.KEPT_VERSIONS)) {
        genesis = stores.tree().genesis();
      }
      FixtureRollup fixture = FixtureRollup.deploy(l1, genesis.stateRoot());
      for (int a = 1; a <= ACCOUNTS; a++) {
        fixture.deposit(DevAccounts.account(a), a);
        deposits++;
        nextNonce[a] = 1;
      }
      node = new NodeProcess(out);
      startNode(true);
      V3NodeItSupport.mine(anvil, V3NodeItSupport.CONFIRMATIONS);
      awaitOutput(out, "oracle tick at ", 60);
      for (int a = 1; a <= ACCOUNTS; a++) {
        int account = a;
        V3NodeItSupport.await(
            "account " + a + " credited", () -> collateral(account) == OrderScenario.DEPOSIT, 60);
      }

      List<Sent> lost = new ArrayList<>();
      for (int k = 0; k < kills; k++) {
        if (k % 2 == 0) {
          // an L1 deposit, acknowledged by L1 itself (mined), credited by the node's watcher
          int a = 1 + random.nextInt(ACCOUNTS);
          fixture.deposit(DevAccounts.account(a), a);
          deposits++;
          V3NodeItSupport.mine(anvil, V3NodeItSupport.CONFIRMATIONS);
        }
        for (Sent s : lost) {
          s.answered(rpc.call("perp_placeOrder", s.params()), true);
        }
        lost = new ArrayList<>();
        List<Sent> cut = lost;
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Random r = new Random(random.nextLong());
        Thread load =
            new Thread(
                () -> {
                  while (!stop.get()) {
                    int a = 1 + r.nextInt(ACCOUNTS);
                    Sent s =
                        new Sent(
                            a,
                            nextNonce[a]++,
                            r.nextBoolean() ? Side.BUY : Side.SELL,
                            1 + r.nextInt(5),
                            V3NodeItSupport.PRICE - 2 + r.nextInt(5));
                    synchronized (sent) {
                      sent.add(s);
                    }
                    try {
                      s.answered(rpc.call("perp_placeOrder", s.params()), false);
                      Thread.sleep(r.nextInt(orderPauseMs));
                    } catch (IOException e) {
                      cut.add(s); // the kill cut the answer off: sent again after the restart
                      return;
                    } catch (InterruptedException e) {
                      return;
                    } catch (RuntimeException e) {
                      failure.set(e);
                      return;
                    }
                  }
                },
                "order-load");
        load.start();
        Thread.sleep(200 + random.nextInt(windowMs));
        node.kill();
        stop.set(true);
        load.join();
        assertThat(failure.get()).as("order load").isNull();
        startNode(false);
      }
      for (Sent s : lost) {
        s.answered(rpc.call("perp_placeOrder", s.params()), true);
      }
      assertThat(sent).allMatch(s -> !s.outcome.equals("LOST"), "every order answered");
      // every L1 deposit credited before the node stops (the journal read while it runs)
      int allDeposits = deposits;
      V3NodeItSupport.await(
          "every L1 deposit journaled",
          () -> {
            try {
              V3NodeItSupport.mine(anvil, 1);
              return creditedIndices().size() >= allDeposits;
            } catch (IOException e) {
              return false;
            }
          },
          60);
      // proofs are slow: the drill waits for L1 commits after the last restart only, SIGKILLing
      // the node once more right after each but the last (the submitter reconciles with L1)
      ZkPerpRollupV3 rollup = fixture.rollup();
      for (int c = 1; c <= commits; c++) {
        long batch = c;
        V3NodeItSupport.await(
            "batch " + c + " committed on L1",
            () -> {
              try {
                return rollup.lastBatchNumber().send().longValueExact() >= batch;
              } catch (Exception e) {
                return false;
              }
            },
            commitWaitS);
        if (c < commits) {
          node.kill();
          startNode(false);
        }
      }
      node.stop();

      checkJournalAndState(cfg, genesis, sent, deposits, l1, rollup);
      String log = Files.readString(out);
      assertThat(log).doesNotContain("settlement paused at record");
      Matcher starts = SNAPSHOT_START.matcher(log);
      int fromSnapshots = 0;
      while (starts.find()) {
        fromSnapshots += Long.parseLong(starts.group(1)) > 0 ? 1 : 0;
      }
      assertThat(fromSnapshots).as("starts that began at a snapshot").isPositive();
      assertThat(log).contains("v3 translator restored from the snapshot");
      long acked = sent.stream().filter(s -> s.outcome.equals("ACKED")).count();
      System.out.println(
          "[v3-kill-drill] seed "
              + seed
              + ": "
              + kills
              + " SIGKILLs, "
              + sent.size()
              + " orders ("
              + acked
              + " acknowledged, "
              + sent.stream().filter(s -> s.outcome.equals("JOURNALED_BEFORE")).count()
              + " journaled before a kill cut the answer, "
              + sent.stream().filter(s -> s.outcome.equals("REFUSED")).count()
              + " refused), "
              + deposits
              + " L1 deposits, "
              + fromSnapshots
              + " starts from a snapshot, "
              + (kills + commits - 1)
              + " kills in all, "
              + rollup.lastBatchNumber().send()
              + " batches on L1");
    } catch (AssertionError | Exception e) {
      System.out.println(
          "[v3-kill-drill] seed " + seed + "; node output:\n" + NodeProcess.tail(out));
      System.out.println(
          "[v3-kill-drill] worker log:\n"
              + NodeProcess.tail(dir.resolve("prover-jobs/worker.log")));
      throw e;
    } finally {
      if (node != null) {
        node.close();
      }
      anvil.close();
    }
  }

  /** The checks on the stopped node's data directory and on L1 (class comment). */
  void checkJournalAndState(
      NodeConfig cfg,
      V3Genesis genesis,
      List<Sent> sent,
      int deposits,
      L1Session l1,
      ZkPerpRollupV3 rollup)
      throws Exception {
    Path nodeDir = cfg.dataDir();
    // the journal: each order's records by (account, nonce), the deposits by queue index
    Map<List<Long>, List<Long>> orders = new HashMap<>();
    List<Long> credited = new ArrayList<>();
    JournalReader.readJournal(
        nodeDir,
        0,
        (seq, command) -> {
          if (command instanceof PlaceOrder o) {
            orders
                .computeIfAbsent(List.of((long) o.account(), o.nonce()), x -> new ArrayList<>())
                .add(seq);
          } else if (command instanceof CreditL1Deposit d) {
            credited.add(d.priorityIndex());
          }
        });
    assertThat(credited)
        .as("every L1 deposit credited once, in queue order")
        .isEqualTo(java.util.stream.LongStream.range(0, deposits).boxed().toList());
    for (Sent s : sent) {
      List<Long> records = orders.getOrDefault(s.key(), List.of());
      switch (s.outcome) {
        case "ACKED" ->
            assertThat(records).as("acknowledged order %s", s.key()).containsExactly(s.journalSeq);
        case "JOURNALED_BEFORE" ->
            assertThat(records).as("order %s journaled before a kill", s.key()).hasSize(1);
        default -> assertThat(records).as("refused order %s (%s)", s.key(), s.status).isEmpty();
      }
    }
    assertThat(orders.values()).allMatch(l -> l.size() == 1, "no order journaled twice");

    // a full replay of a copy of the journal: the engine, and each command translated and
    // settled on a fresh tree by an independent CommandTranslator + V3Settler
    Path copy = dir.resolve("replay");
    Files.createDirectories(copy.resolve(JournalSegments.DIR));
    try (var segs = Files.list(nodeDir.resolve(JournalSegments.DIR))) {
      for (Path p : segs.toList()) {
        Files.copy(p, copy.resolve(JournalSegments.DIR).resolve(p.getFileName()));
      }
    }
    NodeConfig replayCfg = V3KillDrillNodeMain.config(dir.resolve("replay-tree"), anvil.rpcUrl());
    NavigableMap<Long, Fr> roots = new TreeMap<>();
    Map<Long, Integer> steps = new HashMap<>();
    Set<Long> fills = new HashSet<>();
    Recovery.Recovered replay;
    try (V3Stores fresh =
        V3Stores.open(
            replayCfg, replayCfg.riskEngine(), FixtureChain.DOMAIN, RollupNode.KEPT_VERSIONS)) {
      assertThat(fresh.tree().genesis()).isEqualTo(genesis);
      CommandTranslator translator =
          new CommandTranslator(
              FeeSchedule.of(cfg.riskEngine().config()), V3Stores.CORE_START_TIME);
      V3Settler settler = new V3Settler(fresh.tree().store(), FixtureChain.DOMAIN);
      roots.put(0L, fresh.tree().store().roots().stateRoot());
      replay =
          Recovery.recover(
              copy,
              OrderBookFactory.OPTIMISED,
              SelfTradePrevention.EXPIRE_MAKER,
              cfg.riskEngine(),
              CoreListener.NONE,
              (seq, command, events) -> {
                if (events.stream().anyMatch(e -> e instanceof SequencerEvent.Fill)) {
                  fills.add(seq);
                }
                V3Translation t = translator.translate(new SettlementInput(seq, command, events));
                if (!(t instanceof V3Translation.Steps s)) {
                  throw new AssertionError("record " + seq + " is not provable: " + t);
                }
                steps.put(seq, s.steps().size());
                if (!s.steps().isEmpty()) {
                  try {
                    settler.settle(s);
                  } catch (SettlementStoppedException e) {
                    throw new AssertionError("record " + seq + " does not settle", e);
                  }
                }
                roots.put(seq, fresh.tree().store().roots().stateRoot());
              },
              0);
    }
    assertThat(replay.snapshotSeq()).isZero();
    for (Sent s : sent) {
      if (s.outcome.equals("ACKED") && s.status.contains("FILLED")) {
        assertThat(fills).as("the fill of order %s", s.key()).contains(s.journalSeq);
      }
    }
    assertThat(fills).as("fills happened").isNotEmpty();
    // the engine the node recovers (its newest snapshot + the journal after it) = the replay
    Recovery.Recovered fromSnapshot =
        Recovery.recover(
            nodeDir,
            OrderBookFactory.OPTIMISED,
            SelfTradePrevention.EXPIRE_MAKER,
            cfg.riskEngine(),
            CoreListener.NONE);
    assertThat(fromSnapshot.snapshotSeq()).isPositive();
    assertThat(fromSnapshot.lastSeq()).isEqualTo(replay.lastSeq());
    assertThat(SnapshotStore.serialize(fromSnapshot.core()))
        .as("the node's engine equals a full replay")
        .isEqualTo(SnapshotStore.serialize(replay.core()));

    // the stored batches: numbered 1..n, chained, each step in exactly one, roots of the replay
    List<V3BatchRecord> v3;
    try (V3BatchStore store = V3BatchStore.open(nodeDir.resolve("v3-batches"))) {
      v3 = store.range(1, 1_000_000);
    }
    List<BatchRecord> stored;
    try (BatchStore store = BatchStore.open(nodeDir.resolve("batches"))) {
      stored = store.range(1, 1_000_000);
    }
    assertThat(v3).isNotEmpty();
    assertThat(stored).hasSameSizeAs(v3);
    Fr before = genesis.stateRoot();
    Set<List<Long>> origins = new HashSet<>();
    int comparedRoots = 0;
    for (int i = 0; i < v3.size(); i++) {
      V3BatchRecord b = v3.get(i);
      assertThat(b.number()).isEqualTo(i + 1);
      assertThat(stored.get(i).number()).isEqualTo(i + 1);
      assertThat(stored.get(i).firstSeq()).isEqualTo(b.firstSeq());
      assertThat(stored.get(i).lastSeq()).isEqualTo(b.lastSeq());
      assertThat(b.stateRootBefore()).as("batch %d chained", b.number()).isEqualTo(before);
      before = b.stateRootAfter();
      for (SealedBatchV3.StepOrigin o : b.origins()) {
        assertThat(origins.add(List.of(o.seq(), (long) o.step())))
            .as("step %s batched once", o)
            .isTrue();
      }
      if (b.resume().stepsBatched() == 0) {
        assertThat(b.stateRootAfter())
            .as("batch %d's root = the replay's after record %d", b.number(), b.resume().seq() - 1)
            .isEqualTo(roots.floorEntry(b.resume().seq() - 1).getValue());
        comparedRoots++;
      }
    }
    assertThat(comparedRoots).isPositive();
    V3BatchRecord.Resume resume = v3.getLast().resume();
    for (Map.Entry<Long, Integer> e : steps.entrySet()) {
      long seq = e.getKey();
      int expect =
          seq < resume.seq() ? e.getValue() : seq == resume.seq() ? resume.stepsBatched() : 0;
      for (int s = 0; s < e.getValue(); s++) {
        assertThat(origins.contains(List.of(seq, (long) s)))
            .as("step %d of record %d in a batch", s, seq)
            .isEqualTo(s < expect);
      }
    }
    assertThat(origins)
        .as("no batched step the replay lacks")
        .allMatch(o -> o.get(1) < steps.getOrDefault(o.get(0), 0));
    // the node's tree: at a root of the replay at or after the last batch's resume point
    try (V3Stores stores =
        V3Stores.open(cfg, cfg.riskEngine(), FixtureChain.DOMAIN, RollupNode.KEPT_VERSIONS)) {
      Fr root = stores.tree().store().roots().stateRoot();
      assertThat(roots.tailMap(resume.seq() - 1, true).values())
          .as("the node's tree root is the replay's")
          .contains(root);
    }

    // L1: BatchCommitted 1..m, no gap or duplicate, each with its stored batch's root
    long onL1 = rollup.lastBatchNumber().send().longValueExact();
    assertThat(onL1).isPositive().isLessThanOrEqualTo(v3.size());
    EthFilter filter =
        new EthFilter(
            DefaultBlockParameterName.EARLIEST,
            DefaultBlockParameterName.LATEST,
            FixtureRollup.ADDRESS);
    filter.addSingleTopic(EventEncoder.encode(ZkPerpRollupV3.BATCHCOMMITTED_EVENT));
    List<Long> committed = new ArrayList<>();
    for (EthLog.LogResult<?> lr : l1.web3j().ethGetLogs(filter).send().getLogs()) {
      ZkPerpRollupV3.BatchCommittedEventResponse ev =
          ZkPerpRollupV3.getBatchCommittedEventFromLog((Log) lr.get());
      long n = ev.batchNumber.longValueExact();
      committed.add(n);
      assertThat(ev.newStateRoot)
          .as("batch %d's root on L1", n)
          .isEqualTo(v3.get((int) n - 1).stateRootAfter().toBigInteger());
    }
    assertThat(committed)
        .as("BatchCommitted events")
        .isEqualTo(java.util.stream.LongStream.rangeClosed(1, onL1).boxed().toList());
    assertThat(rollup.stateRoot().send())
        .isEqualTo(v3.get((int) onL1 - 1).stateRootAfter().toBigInteger());
    assertThat(rollup.consumedPriorityOps().send())
        .isEqualTo(
            BigInteger.valueOf(
                v3.stream().limit(onL1).mapToInt(V3BatchRecord::priorityCount).sum()));
    for (BatchRecord b : stored.subList((int) onL1, stored.size())) {
      assertThat(b.status())
          .as("batch %d is not on L1", b.number())
          .isNotIn(BatchStatus.COMMITTED, BatchStatus.FINAL);
    }
    System.out.println(
        "[v3-kill-drill] journal records "
            + replay.lastSeq()
            + ", stored batches "
            + v3.size()
            + " ("
            + comparedRoots
            + " roots compared with the replay), fills "
            + fills.size()
            + ", on L1 "
            + onL1);
  }

  void startNode(boolean list) throws IOException {
    List<String> args = new ArrayList<>(List.of(dir.toString(), anvil.rpcUrl(), "2000"));
    if (list) {
      args.add("--list");
    }
    rpc = new V3NodeItSupport.Rpc(node.start(V3KillDrillNodeMain.class.getName(), args));
  }

  /** The account's collateral over {@code perp_getAccount}, -1 without an answer. */
  long collateral(int account) {
    long validUntil = System.currentTimeMillis() / 1000 + 3600;
    byte[] sig =
        new ReadGrantMessage(account, validUntil)
            .sign(FixtureChain.key(account), FixtureChain.DOMAIN);
    Map<String, Object> auth =
        Map.of(
            "account",
            account,
            "validUntil",
            validUntil,
            "signature",
            "0x" + HexFormat.of().formatHex(sig));
    try {
      return rpc.call("perp_getAccount", Map.of("account", account, "auth", auth))
          .path("result")
          .path("collateral")
          .asLong(-1);
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** The queue indices of the L1 deposits in the running node's journal. */
  List<Long> creditedIndices() throws IOException {
    List<Long> credited = new ArrayList<>();
    JournalReader.readJournal(
        dir.resolve("node"),
        0,
        (seq, command) -> {
          if (command instanceof CreditL1Deposit d) {
            credited.add(d.priorityIndex());
          }
        });
    return credited;
  }

  /** Waits until the node's output contains {@code text}. */
  void awaitOutput(Path out, String text, int seconds) throws Exception {
    V3NodeItSupport.await(
        "node output " + text,
        () -> {
          try {
            return Files.readString(out).contains(text);
          } catch (IOException e) {
            return false;
          }
        },
        seconds);
  }
}
