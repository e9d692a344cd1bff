package io.zkperp.l1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkperp.l1.contracts.TestUSD;
import io.zkperp.l1.contracts.ZkPerpRollup;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.http.HttpService;

/**
 * {@link PriorityOpWatcher} against a real anvil: confirmations, paging, a durable cursor, and
 * reorganisations made with anvil's {@code evm_snapshot} / {@code evm_revert} (a deposit whose
 * block is reorganised away is not credited, and is credited exactly once when it lands again).
 */
class PriorityOpWatcherIT {
  private static final long TUSD = 1_000_000L;
  @RegisterExtension private static final AnvilExtension anvil = new AnvilExtension();

  private final Credentials deployer = DevAccounts.account(0);
  private final Credentials operator = DevAccounts.account(1);
  private final Credentials alice = DevAccounts.account(2);
  private final Credentials bob = DevAccounts.account(3);

  @TempDir Path dir;

  /** Records what the watcher hands over, like the engine would (next index = count). */
  static final class RecordingSink implements PriorityOpWatcher.Sink {
    final List<L1PriorityOp> taken = new ArrayList<>();

    @Override
    public long nextIndex() {
      return taken.size();
    }

    @Override
    public void accept(L1PriorityOp op) {
      assertThat(op.index()).isEqualTo(taken.size());
      taken.add(op);
    }
  }

  @Test
  void depositReorganisedAwayBeforeItsConfirmationsIsNotCreditedAndIsCreditedOnceWhenItLandsAgain()
      throws Exception {
    try (L1Session l1 = L1Session.connect(anvil.rpcUrl())) {
      RollupDeployment d = deploy(l1);
      fund(l1, d, alice, 1_000 * TUSD);
      PriorityOpWatcher watcher =
          new PriorityOpWatcher(
              l1, d.rollup(), dir.resolve("cursor"), new PriorityOpWatcher.Options(3, 1_000, 0));
      RecordingSink sink = new RecordingSink();
      watcher.poll(sink);

      String snapshot = rpc(l1, "evm_snapshot", List.of());
      deposit(l1, d, alice, 1, 600 * TUSD);
      mine(l1, 2); // the deposit's block has 2 confirmations, 3 are needed
      PriorityOpWatcher.Poll p = watcher.poll(sink);
      assertThat(p.taken()).isZero();
      assertThat(sink.taken).isEmpty();

      // The deposit's block is reorganised away; the chain grows past its height without it.
      assertThat(rpc(l1, "evm_revert", List.of(snapshot))).isEqualTo("true");
      mine(l1, 6);
      p = watcher.poll(sink);
      assertThat(p.taken()).isZero();
      assertThat(sink.taken).isEmpty();
      assertThat(rollup(l1, d).priorityOpCount().send()).isZero();

      // It lands again (in another block) and is credited exactly once after its confirmations.
      deposit(l1, d, alice, 1, 600 * TUSD);
      assertThat(watcher.poll(sink).taken()).isZero();
      mine(l1, 3);
      p = watcher.poll(sink);
      assertThat(p.taken()).isEqualTo(1);
      mine(l1, 5);
      assertThat(watcher.poll(sink).taken()).isZero();
      assertThat(sink.taken).hasSize(1);
      L1Deposit dep = (L1Deposit) sink.taken.get(0);
      assertThat(dep.index()).isZero();
      assertThat(dep.accountId()).isEqualTo(1);
      assertThat(dep.amount()).isEqualTo(600 * TUSD);
      assertThat(dep.owner().toString()).isEqualToIgnoringCase(alice.getAddress());
      assertThat(dep.priorityHashAfter().toBigInteger())
          .isEqualTo(rollup(l1, d).priorityHashAt(BigInteger.ONE).send());
    }
  }

  @Test
  void scannedBlockReplacedByAReorgRollsTheCursorBackAndTheOpLandingAgainIsNotCreditedTwice()
      throws Exception {
    try (L1Session l1 = L1Session.connect(anvil.rpcUrl())) {
      RollupDeployment d = deploy(l1);
      fund(l1, d, alice, 1_000 * TUSD);
      fund(l1, d, bob, 1_000 * TUSD);
      PriorityOpWatcher watcher =
          new PriorityOpWatcher(
              l1, d.rollup(), dir.resolve("cursor"), new PriorityOpWatcher.Options(0, 1_000, 0));
      RecordingSink sink = new RecordingSink();
      String snapshot = rpc(l1, "evm_snapshot", List.of());
      deposit(l1, d, alice, 1, 100 * TUSD);
      assertThat(watcher.poll(sink).taken()).isEqualTo(1);
      long scannedTo = watcher.cursor().nextBlock() - 1;

      // Replace the scanned blocks: the same deposit lands again (same queue index) plus Bob's.
      rpc(l1, "evm_revert", List.of(snapshot));
      mine(l1, 1);
      deposit(l1, d, alice, 1, 100 * TUSD);
      deposit(l1, d, bob, 2, 50 * TUSD);
      PriorityOpWatcher.Poll p = watcher.poll(sink);
      assertThat(p.reorganised()).isTrue();
      assertThat(p.taken()).isEqualTo(1);
      assertThat(sink.taken).extracting(L1PriorityOp::index).containsExactly(0L, 1L);
      assertThat(((L1Deposit) sink.taken.get(1)).accountId()).isEqualTo(2);
      assertThat(watcher.cursor().nextBlock()).isGreaterThan(scannedTo);
      assertThat(watcher.poll(sink).reorganised()).isFalse();
    }
  }

  @Test
  void pagesThroughManyBlocksAndResumesFromItsDurableCursor() throws Exception {
    try (L1Session l1 = L1Session.connect(anvil.rpcUrl())) {
      RollupDeployment d = deploy(l1);
      fund(l1, d, alice, 1_000 * TUSD);
      PriorityOpWatcher.Options opts = new PriorityOpWatcher.Options(1, 2, 0);
      Path cursorFile = dir.resolve("cursor");
      RecordingSink sink = new RecordingSink();
      deposit(l1, d, alice, 1, 10 * TUSD);
      mine(l1, 3);
      deposit(l1, d, alice, 1, 20 * TUSD);
      deposit(l1, d, alice, 1, 30 * TUSD);
      mine(l1, 1);
      PriorityOpWatcher first = new PriorityOpWatcher(l1, d.rollup(), cursorFile, opts);
      PriorityOpWatcher.Poll p = first.poll(sink);
      assertThat(p.taken()).isEqualTo(3);
      assertThat(p.safeHead()).isEqualTo(p.head() - 1);
      assertThat(sink.taken)
          .extracting(op -> ((L1Deposit) op).amount())
          .containsExactly(10 * TUSD, 20 * TUSD, 30 * TUSD);

      // A new watcher (a restarted node) resumes from the saved cursor.
      deposit(l1, d, alice, 1, 40 * TUSD);
      mine(l1, 1);
      PriorityOpWatcher second = new PriorityOpWatcher(l1, d.rollup(), cursorFile, opts);
      assertThat(second.cursor()).isEqualTo(first.cursor());
      assertThat(second.poll(sink).taken()).isEqualTo(1);
      assertThat(sink.taken).hasSize(4);

      // A watcher whose cursor was lost rescans from the start and takes nothing twice.
      Files.delete(cursorFile);
      PriorityOpWatcher fresh = new PriorityOpWatcher(l1, d.rollup(), cursorFile, opts);
      assertThat(fresh.poll(sink).taken()).isZero();
      assertThat(sink.taken).hasSize(4);

      // A damaged cursor file is refused, not silently reset.
      byte[] bytes = Files.readAllBytes(cursorFile);
      bytes[8] ^= 1;
      Files.write(cursorFile, bytes);
      assertThatThrownBy(() -> new PriorityOpWatcher(l1, d.rollup(), cursorFile, opts))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("checksum");
    }
  }

  // --- helpers

  private RollupDeployment deploy(L1Session l1) {
    return RollupDeployer.deploy(
        l1,
        deployer,
        DeployParams.devnet("tiny", deployer.getAddress(), operator.getAddress(), 3_600));
  }

  private static ZkPerpRollup rollup(L1Session l1, RollupDeployment d) {
    return ZkPerpRollup.load(
        d.rollup(), l1.web3j(), l1.transactionManager(DevAccounts.account(0)), l1.gas());
  }

  private static void fund(L1Session l1, RollupDeployment d, Credentials who, long amount) {
    TestUSD t = TestUSD.load(d.collateral(), l1.web3j(), l1.transactionManager(who), l1.gas());
    l1.send(who.getAddress(), d.collateral(), t.faucet(BigInteger.valueOf(amount)), "faucet");
    l1.send(
        who.getAddress(),
        d.collateral(),
        t.approve(d.rollup(), BigInteger.valueOf(amount)),
        "approve");
  }

  static EdDsaPrivateKey l2Key(Credentials who) {
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) who.getAddress().charAt(5));
    return EdDsaPrivateKey.fromSeed(seed);
  }

  private void deposit(
      L1Session l1, RollupDeployment d, Credentials who, int account, long amount) {
    L2Fixtures.deposit(l1, d, who, l2Key(who), account, amount);
  }

  static void mine(L1Session l1, int blocks) throws IOException {
    for (int i = 0; i < blocks; i++) {
      rpc(l1, "evm_mine", List.of());
    }
  }

  static String rpc(L1Session l1, String method, List<?> params) throws IOException {
    HttpService http = new HttpService(l1RpcUrl());
    Response<?> r = new Request<>(method, params, http, StringResponse.class).send();
    if (r.hasError()) {
      throw new IOException(method + ": " + r.getError().getMessage());
    }
    return String.valueOf(r.getResult());
  }

  private static String l1RpcUrl() {
    return anvil.rpcUrl();
  }

  /** A JSON-RPC response whose result is read as a string. */
  public static final class StringResponse extends Response<Object> {}
}
