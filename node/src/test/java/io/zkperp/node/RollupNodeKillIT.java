package io.zkperp.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.l1.AnvilExtension;
import io.zkperp.l1.DeployParams;
import io.zkperp.l1.DevAccounts;
import io.zkperp.l1.L1Session;
import io.zkperp.l1.L2Fixtures;
import io.zkperp.l1.RollupDeployer;
import io.zkperp.l1.RollupDeployment;
import io.zkperp.l1.contracts.TestUSD;
import io.zkperp.l1.contracts.ZkPerpRollup;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.message.ReadGrantMessage;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.state.RollupStateStore;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.utils.Numeric;

/**
 * Crash drill (a), at a small scale: the node runs as its own process ({@link RollupNodeMain}, with
 * its prover worker) and is SIGKILLed {@code zkperp.node.kills} times (default 20) at random
 * moments while L1 deposits arrive and transfers are submitted over JSON-RPC. A transfer whose
 * answer was lost is retried after the restart with the same signature: the node answers {@code
 * WRONG_TRANSACTION_NONCE} if it had been journaled (so it is counted once), else accepts it. At
 * the end every L1 deposit is credited exactly once and every transfer applied exactly once (the
 * read model and the settled tree hold exactly the expected collateral), the batches on L1 are
 * contiguous and L1's state root is the node's tree root. The node snapshots every 3 records, so
 * kills also land while a snapshot is taken or written: starts begin at a snapshot, and the engine
 * recovered from the snapshot a restart uses plus the journal after it equals a full replay.
 */
class RollupNodeKillIT {
  static final long TUSD = 1_000_000L;
  static final int ACCOUNTS = 3;
  @RegisterExtension static final AnvilExtension anvil = new AnvilExtension();

  @TempDir Path dir;
  final Random random = new Random(2026);
  final Credentials deployer = DevAccounts.account(0);
  final Credentials operator = DevAccounts.account(1);
  NodeProcess node;
  RollupNodeIT.Rpc rpc;

  static Credentials holder(int account) {
    return DevAccounts.account(1 + account);
  }

  @Test
  void sigkilledRepeatedlyUnderLoadLosesNothingAndAppliesNothingTwice() throws Exception {
    int kills = Integer.getInteger("zkperp.node.kills", 20);
    long[] expected = new long[ACCOUNTS + 1];
    long[] nonce = new long[ACCOUNTS + 1];
    int deposits = 0;
    try (L1Session l1 = L1Session.connect(anvil.rpcUrl())) {
      RollupDeployment d =
          RollupDeployer.deploy(
              l1,
              deployer,
              DeployParams.devnet("tiny", deployer.getAddress(), operator.getAddress(), 3_600));
      for (int a = 1; a <= ACCOUNTS; a++) {
        Credentials who = holder(a);
        TestUSD t = TestUSD.load(d.collateral(), l1.web3j(), l1.transactionManager(who), l1.gas());
        l1.send(
            who.getAddress(),
            d.collateral(),
            t.faucet(RollupNodeIT.big(1_000_000 * TUSD)),
            "faucet");
        l1.send(
            who.getAddress(),
            d.collateral(),
            t.approve(d.rollup(), RollupNodeIT.big(1_000_000 * TUSD)),
            "approve");
        deposit(l1, d, a, 1_000 * TUSD);
        expected[a] += 1_000 * TUSD;
        deposits++;
      }
      startNode(d);
      // the first transfers need their senders' deposits credited (one confirmation, one poll)
      mine();
      for (int a = 1; a <= ACCOUNTS; a++) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long credited = -1;
        while (System.nanoTime() < until && credited < expected[a]) {
          credited =
              rpc.call(
                      "perp_getAccount",
                      Map.of("account", a, "auth", readGrant(a, l1.chainId(), d.rollup())))
                  .path("result")
                  .path("collateral")
                  .asLong(-1);
          Thread.sleep(100);
        }
        assertThat(credited).as("account %d credited before the load", a).isEqualTo(expected[a]);
      }
      List<Pending> unanswered = new ArrayList<>();
      for (int k = 0; k < kills; k++) {
        // L1 deposits keep arriving, acknowledged by L1 itself
        int a = 1 + random.nextInt(ACCOUNTS);
        long amount = (1 + random.nextInt(100)) * TUSD;
        deposit(l1, d, a, amount);
        expected[a] += amount;
        deposits++;
        mine();
        // transfers over JSON-RPC from another thread until the kill cuts one off; its answer is
        // lost, so it is retried after the restart
        unanswered = retry(unanswered, expected, nonce);
        List<Pending> lost = new ArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean stop =
            new java.util.concurrent.atomic.AtomicBoolean();
        Random r = new Random(k);
        java.util.concurrent.atomic.AtomicReference<Throwable> failure =
            new java.util.concurrent.atomic.AtomicReference<>();
        Thread load =
            new Thread(
                () -> {
                  while (!stop.get()) {
                    int from = 1 + r.nextInt(ACCOUNTS);
                    Pending p =
                        new Pending(from, 1 + (from % ACCOUNTS), 1 + r.nextInt(1_000), nonce[from]);
                    try {
                      apply(rpc.call("perp_transfer", p.params()), p, expected, nonce);
                      Thread.sleep(50 + r.nextInt(250));
                    } catch (IOException e) {
                      lost.add(p);
                      return;
                    } catch (InterruptedException e) {
                      return;
                    } catch (RuntimeException | AssertionError e) {
                      failure.set(e);
                      return;
                    }
                  }
                },
                "transfer-load");
        load.start();
        Thread.sleep(300 + random.nextInt(2_500));
        killNode();
        stop.set(true);
        load.join();
        assertThat(failure.get()).as("transfer load").isNull();
        unanswered = lost;
        startNode(d);
      }
      unanswered = retry(unanswered, expected, nonce);
      assertThat(unanswered).isEmpty();

      // a marker transfer: once it is sealed, every record journaled before it is in the tree
      Pending marker = new Pending(1, 2, 1, nonce[1]);
      JsonNode m = rpc.call("perp_transfer", marker.params());
      assertThat(apply(m, marker, expected, nonce)).isTrue();
      long markerSeq = m.path("result").path("journalSeq").asLong();
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
      String status = "";
      while (System.nanoTime() < deadline && (status.isEmpty() || status.equals("accepted"))) {
        mine();
        status =
            rpc.call("perp_getSettlement", Map.of("journalSeq", markerSeq))
                .path("result")
                .path("status")
                .asText();
        Thread.sleep(200);
      }
      assertThat(status).isIn("SEALED", "PROVING", "PROVEN", "COMMITTED", "FINAL");
      // every L1 deposit credited once, every acknowledged transfer applied once (engine)
      for (int a = 1; a <= ACCOUNTS; a++) {
        assertThat(
                rpc.call(
                        "perp_getAccount",
                        Map.of("account", a, "auth", readGrant(a, l1.chainId(), d.rollup())))
                    .path("result")
                    .path("collateral")
                    .asLong())
            .as("account %d in the engine", a)
            .isEqualTo(expected[a]);
      }
      // the settlement keeps committing to L1 through the kills
      deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
      ZkPerpRollup l1View =
          ZkPerpRollup.load(d.rollup(), l1.web3j(), l1.transactionManager(deployer), l1.gas());
      while (System.nanoTime() < deadline && l1View.lastBatchNumber().send().signum() == 0) {
        Thread.sleep(500);
      }
      stopNode();

      ZkPerpRollup view =
          ZkPerpRollup.load(d.rollup(), l1.web3j(), l1.transactionManager(deployer), l1.gas());
      try (RollupStateStore tree = RollupStateStore.open(dir.resolve("data/node/state"));
          BatchStore batches = BatchStore.open(dir.resolve("data/node/batches"))) {
        long onL1 = view.lastBatchNumber().send().longValueExact();
        assertThat(onL1).isPositive();
        assertThat(tree.version()).isGreaterThanOrEqualTo(onL1);
        List<BatchRecord> all = batches.range(1, 10_000);
        assertThat(all).hasSize((int) tree.version());
        for (int i = 0; i < all.size(); i++) {
          assertThat(all.get(i).number()).isEqualTo(i + 1);
          if (i > 0) {
            assertThat(all.get(i).firstSeq()).isGreaterThan(all.get(i - 1).lastSeq());
          }
        }
        // L1's root is the root the node sealed for batch onL1; the tree is at the last batch's
        // root
        assertThat(view.stateRoot().send()).isEqualTo(newRoot(all.get((int) onL1 - 1)));
        assertThat(tree.root().toBigInteger()).isEqualTo(newRoot(all.get(all.size() - 1)));
        // the tree (sealed up to the marker at least) holds exactly the engine's collateral
        assertThat(all.get(all.size() - 1).lastSeq()).isGreaterThanOrEqualTo(markerSeq);
        for (int a = 1; a <= ACCOUNTS; a++) {
          assertThat(tree.view().account(a).orElseThrow().collateral())
              .as("account %d in the tree", a)
              .isEqualTo(expected[a]);
        }
        assertThat(all.stream().mapToInt(BatchRecord::priorityCount).sum()).isEqualTo(deposits);
        // what L1 has is a prefix of the node's batches: no gap, no duplicate, same roots
        assertThat(view.consumedPriorityOps().send().longValueExact())
            .isEqualTo(all.stream().limit(onL1).mapToInt(BatchRecord::priorityCount).sum());
        // the engine from the snapshot a restart uses (at or before the last sealed batch) and
        // the journal after it equals a full replay of the journal (segments of 1 MiB: none was
        // released in this short run)
        Path nodeDir = dir.resolve("data/node");
        long settled = all.get(all.size() - 1).lastSeq();
        io.zkperp.sequencer.journal.Recovery.Recovered fromSnapshot =
            io.zkperp.sequencer.journal.Recovery.recover(
                nodeDir,
                io.zkperp.sequencer.book.OrderBookFactory.OPTIMISED,
                io.zkperp.sequencer.SelfTradePrevention.EXPIRE_MAKER,
                io.zkperp.gateway.node.DemoMarkets.riskEngine(),
                io.zkperp.sequencer.core.CoreListener.NONE,
                null,
                settled);
        assertThat(fromSnapshot.snapshotSeq()).isPositive();
        Path full = dir.resolve("full");
        Files.createDirectories(full);
        try (java.util.stream.Stream<Path> segs =
            Files.list(nodeDir.resolve(io.zkperp.sequencer.journal.JournalSegments.DIR))) {
          Files.createDirectories(full.resolve(io.zkperp.sequencer.journal.JournalSegments.DIR));
          for (Path p : segs.toList()) {
            Files.copy(
                p,
                full.resolve(io.zkperp.sequencer.journal.JournalSegments.DIR)
                    .resolve(p.getFileName()));
          }
        }
        io.zkperp.sequencer.journal.Recovery.Recovered replay =
            io.zkperp.sequencer.journal.Recovery.recover(
                full,
                io.zkperp.sequencer.book.OrderBookFactory.OPTIMISED,
                io.zkperp.sequencer.SelfTradePrevention.EXPIRE_MAKER,
                io.zkperp.gateway.node.DemoMarkets.riskEngine(),
                io.zkperp.sequencer.core.CoreListener.NONE);
        assertThat(replay.snapshotSeq()).isZero();
        assertThat(replay.lastSeq()).isEqualTo(fromSnapshot.lastSeq());
        assertThat(io.zkperp.sequencer.journal.SnapshotStore.serialize(fromSnapshot.core()))
            .isEqualTo(io.zkperp.sequencer.journal.SnapshotStore.serialize(replay.core()));
      }
      // restarts recovered from snapshots, not from genesis
      java.util.regex.Matcher restarts =
          java.util.regex.Pattern.compile("snapshot at record ([0-9]+) \\(the last sealed")
              .matcher(Files.readString(dir.resolve("data/node.out")));
      int fromSnapshots = 0;
      while (restarts.find()) {
        fromSnapshots += Long.parseLong(restarts.group(1)) > 0 ? 1 : 0;
      }
      assertThat(fromSnapshots).as("starts that began at a snapshot").isPositive();
      System.out.println(
          "[kill-drill] "
              + kills
              + " SIGKILLs, "
              + deposits
              + " deposits, nonces "
              + List.of(nonce[1], nonce[2], nonce[3])
              + ", "
              + fromSnapshots
              + " starts from a snapshot");
    } catch (AssertionError | Exception e) {
      System.out.println(
          "[kill-drill] node output:\n" + NodeProcess.tail(dir.resolve("data/node.out")));
      System.out.println(
          "[kill-drill] worker log:\n"
              + NodeProcess.tail(dir.resolve("data/prover-jobs/worker.log")));
      throw e;
    } finally {
      if (node != null) {
        node.close();
      }
    }
  }

  static void mine() throws IOException {
    new org.web3j.protocol.core.Request<>(
            "evm_mine",
            List.of(),
            new org.web3j.protocol.http.HttpService(anvil.rpcUrl()),
            org.web3j.protocol.core.methods.response.VoidResponse.class)
        .send();
  }

  static BigInteger newRoot(BatchRecord r) {
    return new BigInteger(1, java.util.Arrays.copyOfRange(r.commitment(), 32, 64));
  }

  /** A transfer the test sent. */
  record Pending(int from, int to, long amount, long nonce) {
    Map<String, Object> params() {
      return RollupNodeIT.transferParams(RollupNodeKillIT.key(from), from, to, amount, nonce);
    }
  }

  /**
   * The {@code auth} parameter of a private read: the account's read grant for this deployment
   * (chain id and rollup contract), valid for an hour.
   */
  static Map<String, Object> readGrant(int account, long chainId, String rollup) {
    long validUntil = System.currentTimeMillis() / 1000 + 3600;
    byte[] sig =
        new ReadGrantMessage(account, validUntil)
            .sign(key(account), MessageDomain.of(chainId, L1Address.fromHex(rollup)));
    return Map.of(
        "account",
        account,
        "validUntil",
        validUntil,
        "signature",
        "0x" + java.util.HexFormat.of().formatHex(sig));
  }

  static EdDsaPrivateKey key(int account) {
    return RollupNodeIT.l2Key(10 + account);
  }

  /** Counts an answered transfer; false if the node is gone (no answer). */
  static boolean apply(JsonNode r, Pending p, long[] expected, long[] nonce) {
    if (r.has("result")) {
      expected[p.from()] -= p.amount();
      expected[p.to()] += p.amount();
      nonce[p.from()]++;
      return true;
    }
    String err = r.path("error").path("data").path("error").asText();
    if (err.equals("INSUFFICIENT_FREE_COLLATERAL")) {
      return true; // refused: nothing changed
    }
    throw new AssertionError("unexpected answer " + r + " to " + p);
  }

  /** Retries transfers whose answer was lost: journaled before (nonce used) or applied now. */
  List<Pending> retry(List<Pending> unanswered, long[] expected, long[] nonce) throws Exception {
    for (Pending p : unanswered) {
      JsonNode r = rpc.call("perp_transfer", p.params());
      String err = r.path("error").path("data").path("error").asText();
      if (err.equals("WRONG_TRANSACTION_NONCE")) {
        // it had been journaled before the kill: count it once
        expected[p.from()] -= p.amount();
        expected[p.to()] += p.amount();
        nonce[p.from()]++;
      } else {
        apply(r, p, expected, nonce);
      }
    }
    return new ArrayList<>();
  }

  void deposit(L1Session l1, RollupDeployment d, int account, long amount) {
    L2Fixtures.deposit(l1, d, holder(account), key(account), account, amount);
  }

  void startNode(RollupDeployment d) throws IOException {
    String keys = System.getProperty("zkperp.test.keys");
    List<String> args =
        new ArrayList<>(
            List.of(
                "--data-dir",
                dir.resolve("data").toString(),
                "--port",
                "0",
                "--l1",
                anvil.rpcUrl(),
                "--rollup",
                d.rollup(),
                "--operator-key",
                Numeric.toHexStringNoPrefixZeroPadded(operator.getEcKeyPair().getPrivateKey(), 64),
                "--confirmations",
                "1",
                "--finality",
                "1",
                "--batch-delay-ms",
                "1000",
                "--poll-ms",
                "200",
                // a snapshot every 3 records: kills land while snapshots are taken and written
                "--snapshot-every-records",
                "3",
                "--snapshots-kept",
                "1",
                // the drill checks crash safety, not back-pressure: with the workers killed as
                // often as the node, proofs lag far behind, and the marker below must be sealed
                "--max-batches-awaiting-proof",
                "100000"));
    if (keys != null) {
      args.add("--keys");
      args.add(keys);
    }
    if (node == null) {
      node = new NodeProcess(dir.resolve("data/node.out"));
    }
    rpc = new RollupNodeIT.Rpc(node.start(RollupNodeMain.class.getName(), args));
  }

  /** SIGKILL the node and its prover worker (as a container kill would). */
  void killNode() throws Exception {
    node.kill();
  }

  void stopNode() throws Exception {
    node.stop();
  }
}
