package io.zkperp.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.Account;
import io.zkperp.protocol.state.Fill;
import io.zkperp.protocol.state.GlobalState;
import io.zkperp.protocol.state.Position;
import io.zkperp.protocol.state.StateLayout;
import io.zkperp.protocol.state.StateRoot;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RollupStateStoreTest {
  TestData.TempStore t;
  RollupStateStore store;

  @BeforeEach
  void open() {
    t = new TestData.TempStore();
    store = t.store;
  }

  @AfterEach
  void close() {
    t.close();
  }

  @Test
  void genesisIsVersionZeroWithTheProtocolGenesisRoot() {
    assertThat(store.version()).isZero();
    assertThat(store.oldestVersion()).isZero();
    assertThat(store.root()).isEqualTo(StateRoot.GENESIS);
    assertThat(store.roots(0)).isEqualTo(StateRoots.GENESIS);
    assertThat(store.diff(0).changes()).isEmpty();
    try (StateView v = store.view(0)) {
      assertThat(v.global()).isEqualTo(GlobalState.GENESIS);
      assertThat(v.account(0)).isEmpty();
      AccountProof ap = v.accountProof(16_777_215);
      assertThat(ap.account()).isNull();
      assertThat(ap.proof().leaf()).isEqualTo(Fr.ZERO);
      assertThat(ap.verifies(StateRoot.GENESIS)).isTrue();
      assertThat(v.positionProof(3, 63).verifies(StateRoot.GENESIS)).isTrue();
      assertThat(v.fillProof(3, 65_535).verifies(StateRoot.GENESIS)).isTrue();
      assertThat(v.marketProof(0).verifies(StateRoot.GENESIS)).isTrue();
      assertThat(v.globalProof().verifies(StateRoot.GENESIS)).isTrue();
    }
    // a second open of the same directory is still genesis
    store = t.reopen();
    assertThat(store.root()).isEqualTo(StateRoot.GENESIS);
  }

  @Test
  void accountFieldsUpdateKeepsSubtreesAndLeafHashMatchesProtocol() {
    Account a1 = TestData.account(1);
    Account a2 = TestData.account(2);
    try (StateBatch b = store.beginBatch()) {
      b.setAccount(9, a1);
      b.setPosition(9, 4, new Position(-7, 12));
      b.setFill(9, new Fill(70_000, 3));
      b.commit();
    }
    Fr positionsRoot;
    Fr fillsRoot;
    try (StateView v = store.view()) {
      positionsRoot = v.positionsRoot(9);
      fillsRoot = v.fillsRoot(9);
      assertThat(positionsRoot).isNotEqualTo(StateLayout.emptySubtree(6));
      AccountProof p = v.accountProof(9);
      assertThat(p.proof().leaf()).isEqualTo(a1.leafHash(positionsRoot, fillsRoot));
    }
    try (StateBatch b = store.beginBatch()) {
      b.setAccount(9, a2);
      b.commit();
    }
    try (StateView v = store.view()) {
      assertThat(v.account(9)).contains(a2);
      assertThat(v.position(9, 4)).isEqualTo(new Position(-7, 12));
      assertThat(v.fill(9, Fill.slotOf(70_000))).contains(new Fill(70_000, 3));
      assertThat(v.positionsRoot(9)).isEqualTo(positionsRoot);
      assertThat(v.fillsRoot(9)).isEqualTo(fillsRoot);
      assertThat(v.accountProof(9).proof().leaf()).isEqualTo(a2.leafHash(positionsRoot, fillsRoot));
      assertThat(v.accountProof(9).verifies(store.root())).isTrue();
    }
  }

  @Test
  void positionOfSizeZeroRemovesTheLeaf() {
    try (StateBatch b = store.beginBatch()) {
      b.setAccount(1, TestData.account(1));
      b.commit();
    }
    Fr emptyPositions;
    try (StateView v = store.view()) {
      emptyPositions = v.positionsRoot(1);
      assertThat(emptyPositions).isEqualTo(StateLayout.emptySubtree(6));
    }
    Fr rootWithout = store.root();
    try (StateBatch b = store.beginBatch()) {
      b.setPosition(1, 63, new Position(5, 1));
      b.commit();
    }
    assertThat(store.root()).isNotEqualTo(rootWithout);
    try (StateBatch b = store.beginBatch()) {
      b.setPosition(1, 63, new Position(0, 99));
      b.commit();
    }
    assertThat(store.root()).isEqualTo(rootWithout);
    try (StateView v = store.view()) {
      assertThat(v.position(1, 63)).isEqualTo(Position.NONE);
      assertThat(v.positionsRoot(1)).isEqualTo(emptyPositions);
      PositionProof p = v.positionProof(1, 63);
      assertThat(p.proof().leaf()).isEqualTo(Fr.ZERO);
      assertThat(p.verifies(store.root())).isTrue();
    }
    assertThat(store.diff(3).changes())
        .containsExactly(new LeafChange.PositionChange(1, 63, new Position(5, 1), Position.NONE));
  }

  @Test
  void fillSlotIsNonceModTwoToTheSixteen() {
    try (StateBatch b = store.beginBatch()) {
      b.setAccount(2, TestData.account(2));
      b.setFill(2, new Fill(5, 1));
      b.setFill(2, new Fill(5 + 65_536, 0)); // takes the slot over
      b.commit();
    }
    try (StateView v = store.view()) {
      assertThat(v.fill(2, 5)).contains(new Fill(5 + 65_536, 0));
      FillProof p = v.fillProof(2, 5);
      assertThat(p.proof().leaf()).isEqualTo(new Fill(5 + 65_536, 0).leafHash());
      assertThat(p.verifies(store.root())).isTrue();
      assertThat(v.fill(2, 6)).isEmpty();
    }
  }

  @Test
  void batchReadsSeePendingWritesAndViewsDoNot() {
    Account a = TestData.account(3);
    try (StateBatch b = store.beginBatch()) {
      b.setAccount(7, a);
      b.setPosition(7, 2, new Position(3, 4));
      b.setFill(7, new Fill(12, 5));
      b.setMarket(2, TestData.market(2));
      b.setGlobal(new GlobalState(10, 20));
      assertThat(b.account(7)).contains(a);
      assertThat(b.position(7, 2)).isEqualTo(new Position(3, 4));
      assertThat(b.fill(7, 12)).contains(new Fill(12, 5));
      assertThat(b.market(2)).contains(TestData.market(2));
      assertThat(b.global()).isEqualTo(new GlobalState(10, 20));
      StateRoots pending = b.roots();
      assertThat(pending.stateRoot()).isNotEqualTo(StateRoot.GENESIS);
      assertThat(b.positionProof(7, 2).verifies(pending.stateRoot())).isTrue();
      assertThat(b.fillProof(7, 12).verifies(pending.stateRoot())).isTrue();
      assertThat(b.marketProof(2).verifies(pending.stateRoot())).isTrue();
      assertThat(b.globalProof().verifies(pending.stateRoot())).isTrue();
      try (StateView v = store.view()) {
        assertThat(v.account(7)).isEmpty();
        assertThat(v.root()).isEqualTo(StateRoot.GENESIS);
      }
      assertThat(b.commit()).isEqualTo(pending);
    }
    assertThat(store.roots()).isEqualTo(store.roots(1));
  }

  @Test
  void positionWitnessCascadesThroughAllLevels() {
    NaiveState n = new NaiveState();
    Account a = TestData.account(4);
    try (StateBatch b = store.beginBatch()) {
      UpdateWitness w0 = b.setAccountWitnessed(77, a);
      n.setAccount(77, a);
      assertThat(w0.steps()).hasSize(1);
      assertThat(w0.before().stateRoot()).isEqualTo(StateRoot.GENESIS);
      assertThat(w0.after().stateRoot()).isEqualTo(n.stateRoot());
      assertThat(w0.isConsistent()).isTrue();

      UpdateWitness w1 = b.setPositionWitnessed(77, 5, new Position(-3, 8));
      n.setPosition(77, 5, new Position(-3, 8));
      assertThat(w1.before()).isEqualTo(w0.after());
      assertThat(w1.steps())
          .extracting(TreeUpdate::tree)
          .containsExactly(TreeKind.POSITIONS, TreeKind.ACCOUNTS);
      TreeUpdate pos = w1.steps().get(0);
      TreeUpdate acc = w1.steps().get(1);
      assertThat(pos.owner()).isEqualTo(77);
      assertThat(pos.index()).isEqualTo(5);
      assertThat(pos.oldLeaf()).isEqualTo(Fr.ZERO);
      assertThat(pos.newLeaf()).isEqualTo(new Position(-3, 8).leafHash());
      assertThat(pos.oldRoot()).isEqualTo(StateLayout.emptySubtree(6));
      assertThat(pos.newRoot()).isEqualTo(n.positionsRoot(77));
      assertThat(pos.siblings()).isEqualTo(n.positionSiblings(77, 5));
      assertThat(acc.newLeaf()).isEqualTo(n.accountLeaf(77));
      assertThat(acc.siblings()).isEqualTo(n.accountSiblings(77));
      assertThat(acc.newRoot()).isEqualTo(n.accountsRoot());
      assertThat(w1.accountAfter().positionsRoot()).isEqualTo(pos.newRoot());
      assertThat(w1.after().stateRoot()).isEqualTo(n.stateRoot());
      assertThat(w1.isConsistent()).isTrue();

      UpdateWitness w2 = b.setFillWitnessed(77, new Fill(3, 1));
      n.setFill(77, new Fill(3, 1));
      assertThat(w2.before()).isEqualTo(w1.after());
      assertThat(w2.steps().get(0).tree()).isEqualTo(TreeKind.FILLS);
      assertThat(w2.after().stateRoot()).isEqualTo(n.stateRoot());
      assertThat(w2.isConsistent()).isTrue();

      UpdateWitness w3 = b.setMarketWitnessed(5, TestData.market(5));
      n.setMarket(5, TestData.market(5));
      assertThat(w3.before()).isEqualTo(w2.after());
      assertThat(w3.after().stateRoot()).isEqualTo(n.stateRoot());
      assertThat(w3.isConsistent()).isTrue();

      UpdateWitness w4 = b.setGlobalWitnessed(new GlobalState(-1, 2));
      n.setGlobal(new GlobalState(-1, 2));
      assertThat(w4.steps()).isEmpty();
      assertThat(w4.after().stateRoot()).isEqualTo(n.stateRoot());
      assertThat(w4.isConsistent()).isTrue();

      assertThat(b.commit().stateRoot()).isEqualTo(n.stateRoot());
    }
    assertThat(store.root()).isEqualTo(n.stateRoot());
  }

  @Test
  void compressionCountsShowPrecomputedTagsAndSharedNodes() {
    try (StateBatch b = store.beginBatch()) {
      long c0 = b.compressions();
      b.setAccountWitnessed(1, TestData.account(1));
      // account leaf 7 (tag block precomputed) + 24 path + state root 3
      assertThat(b.compressions() - c0).isEqualTo(34);
      long c1 = b.compressions();
      b.setPositionWitnessed(1, 0, new Position(1, 1));
      // position leaf 2 + 6 + account leaf 7 + 24 + 3
      assertThat(b.compressions() - c1).isEqualTo(42);
      b.commit();
    }
    try (StateBatch b = store.beginBatch()) {
      long c0 = b.compressions();
      for (int i = 0; i < 256; i++) {
        b.setAccount(1024 + i, TestData.account(i));
      }
      b.roots();
      // 256 leaves * 7 + a full subtree of 255 nodes + 16 nodes above it + state root 3
      assertThat(b.compressions() - c0).isEqualTo(256 * 7 + 255 + 16 + 3);
      b.abort();
    }
  }

  @Test
  void witnessAndBatchedModesGiveTheSameRoots() {
    try (TestData.TempStore other = new TestData.TempStore()) {
      try (StateBatch w = store.beginBatch();
          StateBatch d = other.store.beginBatch()) {
        for (int i = 0; i < 20; i++) {
          w.setAccountWitnessed(i * 1000, TestData.account(i));
          d.setAccount(i * 1000, TestData.account(i));
          w.setPositionWitnessed(i * 1000, i % 64, TestData.position(i));
          d.setPosition(i * 1000, i % 64, TestData.position(i));
        }
        w.setMarketWitnessed(1, TestData.market(1));
        d.setMarket(1, TestData.market(1));
        assertThat(w.commit()).isEqualTo(d.commit());
      }
    }
  }

  @Test
  void everyKeptVersionIsReadableWithVerifyingProofs() {
    List<Fr> roots = new ArrayList<>();
    roots.add(store.root());
    for (int v = 1; v <= 6; v++) {
      try (StateBatch b = store.beginBatch()) {
        b.setAccount(3, TestData.account(v));
        if (v > 1) {
          b.setPosition(3, v, new Position(v, -v));
        }
        b.setGlobal(new GlobalState(v, -v));
        b.commit();
      }
      roots.add(store.root());
    }
    for (int v = 0; v <= 6; v++) {
      try (StateView view = store.view(v)) {
        assertThat(view.root()).isEqualTo(roots.get(v));
        assertThat(view.roots()).isEqualTo(store.roots(v));
        if (v == 0) {
          assertThat(view.account(3)).isEmpty();
        } else {
          assertThat(view.account(3)).contains(TestData.account(v));
          assertThat(view.global()).isEqualTo(new GlobalState(v, -v));
        }
        for (int m = 0; m <= 7; m++) {
          assertThat(view.positionProof(3, m).verifies(roots.get(v))).isTrue();
          assertThat(view.position(3, m))
              .isEqualTo(m >= 2 && m <= v ? new Position(m, -m) : Position.NONE);
        }
        assertThat(view.accountProof(3).verifies(roots.get(v))).isTrue();
        assertThat(view.globalProof().verifies(roots.get(v))).isTrue();
      }
    }
  }

  @Test
  void pruningKeepsTheLastKVersions() {
    t.close();
    t = new TestData.TempStore(StateStoreOptions.DEFAULT.withKeptVersions(3));
    store = t.store;
    for (int v = 1; v <= 5; v++) {
      try (StateBatch b = store.beginBatch()) {
        b.setAccount(v, TestData.account(v));
        b.commit();
      }
    }
    assertThat(store.version()).isEqualTo(5);
    assertThat(store.oldestVersion()).isEqualTo(3);
    for (long v = 3; v <= 5; v++) {
      try (StateView view = store.view(v)) {
        assertThat(view.account((int) v)).contains(TestData.account(v));
        assertThat(view.account((int) v + 1)).isEmpty();
      }
      assertThat(store.diff(v).changes()).hasSize(1);
    }
    store = t.reopen();
    assertThat(store.oldestVersion()).isEqualTo(3);
    store.rollback(3);
    assertThat(store.version()).isEqualTo(3);
    try (StateView view = store.view()) {
      assertThat(view.account(4)).isEmpty();
    }
  }

  @Test
  void rollbackRestoresRootsAndProofsAndContinuesFromThere() {
    List<Fr> roots = new ArrayList<>();
    List<PositionProof> proofs = new ArrayList<>();
    roots.add(store.root());
    try (StateView v = store.view()) {
      proofs.add(v.positionProof(8, 1));
    }
    for (int v = 1; v <= 4; v++) {
      try (StateBatch b = store.beginBatch()) {
        b.setAccount(8, TestData.account(v));
        b.setPosition(8, 1, new Position(v, v));
        b.setFill(8, new Fill(v, v));
        b.setMarket(v, TestData.market(v));
        b.commit();
      }
      roots.add(store.root());
      try (StateView view = store.view()) {
        proofs.add(view.positionProof(8, 1));
      }
    }
    store.rollback(2);
    assertThat(store.version()).isEqualTo(2);
    assertThat(store.root()).isEqualTo(roots.get(2));
    try (StateView view = store.view()) {
      assertThat(view.positionProof(8, 1)).isEqualTo(proofs.get(2));
      assertThat(view.market(3)).isEmpty();
      assertThat(view.fill(8, 3)).isEmpty();
    }
    assertThatError(() -> store.view(3), StateError.VERSION_NOT_KEPT);
    assertThatError(() -> store.diff(4), StateError.VERSION_NOT_KEPT);

    // new batches continue from v + 1, survive reopen
    try (StateBatch b = store.beginBatch()) {
      assertThat(b.version()).isEqualTo(3);
      b.setGlobal(new GlobalState(5, 5));
      b.commit();
    }
    assertThat(store.diff(3).changes())
        .containsExactly(new LeafChange.GlobalChange(GlobalState.GENESIS, new GlobalState(5, 5)));
    store = t.reopen();
    assertThat(store.version()).isEqualTo(3);
    store.rollback(0);
    assertThat(store.root()).isEqualTo(StateRoot.GENESIS);
    try (StateView view = store.view()) {
      assertThat(view.positionProof(8, 1)).isEqualTo(proofs.get(0));
    }
  }

  @Test
  void diffListsFirstOldAndLastNewSortedAndOmitsNoOps() {
    Account a1 = TestData.account(1);
    try (StateBatch b = store.beginBatch()) {
      b.setAccount(10, a1);
      b.setAccount(2, TestData.account(2));
      b.setPosition(10, 1, new Position(1, 1));
      b.commit();
    }
    try (StateBatch b = store.beginBatch()) {
      b.setGlobal(new GlobalState(1, 1));
      b.setMarket(4, TestData.market(4));
      b.setPosition(10, 1, new Position(2, 2));
      b.setPosition(10, 1, new Position(3, 3)); // last new wins, first old kept
      b.setAccount(2, TestData.account(3));
      b.setAccount(2, TestData.account(2)); // back to its old value: not a change
      b.setFill(10, new Fill(9, 9));
      b.setAccountWitnessed(10, TestData.account(11));
      b.commit();
    }
    assertThat(store.diff(2).changes())
        .containsExactly(
            new LeafChange.AccountChange(10, a1, TestData.account(11)),
            new LeafChange.PositionChange(10, 1, new Position(1, 1), new Position(3, 3)),
            new LeafChange.FillChange(10, 9, null, new Fill(9, 9)),
            new LeafChange.MarketChange(4, null, TestData.market(4)),
            new LeafChange.GlobalChange(GlobalState.GENESIS, new GlobalState(1, 1)));
    assertThat(store.diff(1).changes())
        .extracting(LeafChange::kind, LeafChange::account, LeafChange::index)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(LeafKind.ACCOUNT, 2, 2L),
            org.assertj.core.groups.Tuple.tuple(LeafKind.ACCOUNT, 10, 10L),
            org.assertj.core.groups.Tuple.tuple(LeafKind.POSITION, 10, 1L));
  }

  @Test
  void optionsDoNotChangeRoots() {
    try (StateBatch b = store.beginBatch()) {
      for (int i = 0; i < 300; i++) {
        b.setAccount(i * 50_000, TestData.account(i));
        b.setPosition(i * 50_000, i % 64, TestData.position(i));
      }
      b.commit();
    }
    Fr expected = store.root();
    for (StateStoreOptions o :
        List.of(
            t.options.withUpperCacheHeight(25),
            t.options.withUpperCacheHeight(8),
            t.options.withUpperCacheHeight(12).withHashThreads(3))) {
      store.close();
      store = RollupStateStore.open(t.dir, o);
      t.store = store;
      assertThat(store.root()).isEqualTo(expected);
      try (StateBatch b = store.beginBatch()) {
        b.setAccount(123, TestData.account(123));
        b.setPosition(0, 0, Position.NONE);
        Fr r = b.root();
        try (TestData.TempStore ref = new TestData.TempStore()) {
          try (StateBatch rb = ref.store.beginBatch()) {
            for (int i = 0; i < 300; i++) {
              rb.setAccount(i * 50_000, TestData.account(i));
              rb.setPosition(i * 50_000, i % 64, TestData.position(i));
            }
            rb.setAccount(123, TestData.account(123));
            rb.setPosition(0, 0, Position.NONE);
            assertThat(rb.root()).isEqualTo(r);
          }
        }
        b.abort();
      }
    }
  }

  @Test
  void readersOfCommittedVersionsRunConcurrentlyWithTheWriter() throws Exception {
    try (StateBatch b = store.beginBatch()) {
      b.setAccount(1, TestData.account(0));
      b.commit();
    }
    ExecutorService pool = Executors.newFixedThreadPool(2);
    AtomicBoolean stop = new AtomicBoolean();
    List<Future<Integer>> readers = new ArrayList<>();
    for (int r = 0; r < 2; r++) {
      readers.add(
          pool.submit(
              () -> {
                int checks = 0;
                while (!stop.get() || checks < 5) {
                  long v = store.version();
                  try (StateView view = store.view()) {
                    Fr root = view.root();
                    assertThat(view.accountProof(1).verifies(root)).isTrue();
                    assertThat(view.positionProof(1, (int) (view.version() % 64)).verifies(root))
                        .isTrue();
                    assertThat(view.version()).isGreaterThanOrEqualTo(v);
                    checks++;
                  }
                }
                return checks;
              }));
    }
    for (int v = 2; v <= 15; v++) {
      try (StateBatch b = store.beginBatch()) {
        b.setAccount(1, TestData.account(v));
        b.setPosition(1, v % 64, new Position(v, v));
        b.commit();
      }
    }
    stop.set(true);
    for (Future<Integer> f : readers) {
      assertThat(f.get()).isGreaterThanOrEqualTo(5);
    }
    pool.shutdown();
  }

  static void assertThatError(Runnable r, StateError code) {
    StateErrorsTest.assertError(r, code);
  }
}
