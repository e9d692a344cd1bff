package io.zkperp.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.Fill;
import io.zkperp.protocol.state.Position;
import io.zkperp.state.kv.Bytes;
import io.zkperp.state.kv.KvStore;
import io.zkperp.state.kv.KvStoreConfig;
import io.zkperp.state.kv.KvTransaction;
import io.zkperp.state.smt.NodeKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every refused input is a typed error and leaves the committed state (root, version) as it was.
 */
class StateErrorsTest {
  TestData.TempStore t;
  RollupStateStore store;
  Fr rootBefore;
  long versionBefore;

  static void assertError(Runnable r, StateError code) {
    assertThatThrownBy(r::run)
        .isInstanceOfSatisfying(
            StateStoreException.class, e -> assertThat(e.error()).isEqualTo(code));
  }

  @BeforeEach
  void open() {
    t = new TestData.TempStore();
    store = t.store;
    try (StateBatch b = store.beginBatch()) {
      b.setAccount(5, TestData.account(5));
      b.setPosition(5, 3, new Position(4, 4));
      b.setPosition(5, 2, new Position(1, 1));
      b.setFill(5, new Fill(7, 7));
      b.setMarket(3, TestData.market(3));
      b.commit();
    }
    rootBefore = store.root();
    versionBefore = store.version();
  }

  @AfterEach
  void close() {
    t.close();
  }

  void assertUnchanged() {
    assertThat(store.version()).isEqualTo(versionBefore);
    assertThat(store.root()).isEqualTo(rootBefore);
    try (StateView v = store.view()) {
      assertThat(v.root()).isEqualTo(rootBefore);
      assertThat(v.accountProof(5).verifies(rootBefore)).isTrue();
    }
  }

  @Test
  void outOfRangeIndicesAreRefusedAndTheBatchStaysUsable() {
    try (StateBatch b = store.beginBatch()) {
      Fr pending = b.root();
      assertError(() -> b.setAccount(1 << 24, TestData.account(1)), StateError.INDEX_OUT_OF_RANGE);
      assertError(() -> b.setAccount(-1, TestData.account(1)), StateError.INDEX_OUT_OF_RANGE);
      assertError(
          () -> b.setAccountWitnessed(1 << 24, TestData.account(1)), StateError.INDEX_OUT_OF_RANGE);
      assertError(() -> b.setPosition(5, 64, new Position(1, 1)), StateError.INDEX_OUT_OF_RANGE);
      assertError(() -> b.setPosition(5, -1, new Position(1, 1)), StateError.INDEX_OUT_OF_RANGE);
      assertError(
          () -> b.setPositionWitnessed(5, 64, new Position(1, 1)), StateError.INDEX_OUT_OF_RANGE);
      assertError(() -> b.setMarket(64, TestData.market(1)), StateError.INDEX_OUT_OF_RANGE);
      assertError(
          () -> b.setMarketWitnessed(-5, TestData.market(1)), StateError.INDEX_OUT_OF_RANGE);
      assertError(() -> b.fill(5, 65_536), StateError.INDEX_OUT_OF_RANGE);
      assertError(() -> b.accountProof(1 << 24), StateError.INDEX_OUT_OF_RANGE);
      assertThat(b.root()).isEqualTo(pending);
      assertThat(b.isOpen()).isTrue();
      b.setGlobal(TestData.global(1));
      b.commit();
    }
    assertThat(store.version()).isEqualTo(versionBefore + 1);
    try (StateView v = store.view()) {
      assertError(() -> v.account(1 << 24), StateError.INDEX_OUT_OF_RANGE);
      assertError(() -> v.positionProof(0, 64), StateError.INDEX_OUT_OF_RANGE);
      assertError(() -> v.fillProof(0, -1), StateError.INDEX_OUT_OF_RANGE);
      assertError(() -> v.marketProof(64), StateError.INDEX_OUT_OF_RANGE);
    }
    assertThatThrownBy(() -> store.view().account(16_777_216))
        .hasMessageContaining("16777216")
        .hasMessageContaining("0 .. 16777215");
  }

  @Test
  void positionsAndFillsNeedAnExistingAccount() {
    try (StateBatch b = store.beginBatch()) {
      Fr pending = b.root();
      assertError(() -> b.setPosition(6, 1, new Position(1, 1)), StateError.ACCOUNT_NOT_FOUND);
      assertError(() -> b.setFill(6, new Fill(1, 1)), StateError.ACCOUNT_NOT_FOUND);
      assertError(
          () -> b.setPositionWitnessed(6, 1, new Position(1, 1)), StateError.ACCOUNT_NOT_FOUND);
      assertError(() -> b.setFillWitnessed(6, new Fill(1, 1)), StateError.ACCOUNT_NOT_FOUND);
      assertThat(b.root()).isEqualTo(pending);
      // created in the same batch: now allowed
      b.setAccount(6, TestData.account(6));
      b.setPosition(6, 1, new Position(1, 1));
      b.abort();
    }
    assertUnchanged();
  }

  @Test
  void versionsThatAreNotKeptAreRefused() {
    assertError(() -> store.view(versionBefore + 1), StateError.VERSION_NOT_KEPT);
    assertError(() -> store.view(-1), StateError.VERSION_NOT_KEPT);
    assertError(() -> store.roots(versionBefore + 1), StateError.VERSION_NOT_KEPT);
    assertError(() -> store.diff(versionBefore + 5), StateError.VERSION_NOT_KEPT);
    assertError(() -> store.rollback(versionBefore + 1), StateError.VERSION_NOT_KEPT);
    assertError(() -> store.rollback(-1), StateError.VERSION_NOT_KEPT);
    assertThatThrownBy(() -> store.rollback(9)).hasMessageContaining("keeps versions 0 .. 1");
    assertUnchanged();
  }

  @Test
  void batchLifecycleErrors() {
    StateBatch b = store.beginBatch();
    assertError(store::beginBatch, StateError.BATCH_ALREADY_OPEN);
    assertError(() -> store.rollback(0), StateError.BATCH_ALREADY_OPEN);
    b.setGlobal(TestData.global(3));
    b.abort();
    assertError(() -> b.setGlobal(TestData.global(4)), StateError.BATCH_CLOSED);
    assertError(b::commit, StateError.BATCH_CLOSED);
    assertUnchanged();
    StateBatch c = store.beginBatch();
    c.commit();
    assertError(c::roots, StateError.BATCH_CLOSED);
    assertThat(store.version()).isEqualTo(versionBefore + 1);
    assertThat(store.root()).isEqualTo(rootBefore); // empty batch: new version, same root
  }

  @Test
  void closedStoreAndInvalidOptions() {
    StateView v = store.view();
    store.close();
    assertError(store::beginBatch, StateError.STORE_CLOSED);
    assertError(() -> store.view(0), StateError.STORE_CLOSED);
    assertError(v::global, StateError.STORE_CLOSED);
    v.close();
    assertError(() -> StateStoreOptions.DEFAULT.withKeptVersions(0), StateError.INVALID_OPTION);
    assertError(
        () -> StateStoreOptions.DEFAULT.withUpperCacheHeight(26), StateError.INVALID_OPTION);
    assertError(() -> StateStoreOptions.DEFAULT.withHashThreads(0), StateError.INVALID_OPTION);
    assertError(() -> StateStoreOptions.DEFAULT.withBlockCacheBytes(10), StateError.INVALID_OPTION);
    store = t.reopen();
    assertUnchanged();
  }

  /** Writes raw bytes into the closed store's database, then reopens the store. */
  void tamper(Consumer<KvTransaction> edit) {
    store.close();
    try (KvStore kv = KvStore.open(t.dir, Schema.ALL, new KvStoreConfig(8L << 20, 8L << 20, 1));
        KvTransaction tx = kv.beginTransaction()) {
      edit.accept(tx);
      tx.commit();
    }
  }

  @Test
  void layoutVersionMismatchIsRefusedAndNothingIsWritten() throws Exception {
    tamper(tx -> tx.put(Schema.META, Schema.META_LAYOUT, 2L));
    byte[][] before = snapshotFiles(t.dir);
    assertThatThrownBy(() -> RollupStateStore.open(t.dir, t.options))
        .isInstanceOfSatisfying(
            StateLayoutMismatchException.class,
            e -> {
              assertThat(e.error()).isEqualTo(StateError.LAYOUT_MISMATCH);
              assertThat(e.field()).isEqualTo("layout.version");
              assertThat(e.stored()).isEqualTo(2);
              assertThat(e.expected()).isEqualTo(1);
            });
    assertThat(snapshotFiles(t.dir)).isDeepEqualTo(before);
    try (KvStore kv =
        KvStore.openReadOnly(t.dir, Schema.ALL, new KvStoreConfig(8L << 20, 8L << 20, 1))) {
      assertThat(kv.get(Schema.META, Schema.META_LAYOUT)).contains(2L);
    }
    tamper(tx -> tx.put(Schema.META, Schema.META_LAYOUT, 1L));
    store = RollupStateStore.open(t.dir, t.options);
    t.store = store;
    assertUnchanged();
  }

  @Test
  void depthMismatchIsRefused() {
    tamper(tx -> tx.put(Schema.META, "depth.fills", 17L));
    assertThatThrownBy(() -> RollupStateStore.open(t.dir, t.options))
        .isInstanceOfSatisfying(
            StateLayoutMismatchException.class,
            e -> {
              assertThat(e.field()).isEqualTo("depth.fills");
              assertThat(e.getMessage()).contains("depth.fills = 17").contains("16");
            });
    tamper(tx -> tx.put(Schema.META, "depth.fills", 16L));
    store = RollupStateStore.open(t.dir, t.options);
    t.store = store;
    assertUnchanged();
  }

  @Test
  void foreignDatabaseIsRefused() throws Exception {
    Path dir = Files.createTempDirectory("zkperp-foreign-");
    try {
      try (KvStore kv = KvStore.open(dir, Schema.ALL, new KvStoreConfig(8L << 20, 8L << 20, 1));
          KvTransaction tx = kv.beginTransaction()) {
        tx.putRaw(Schema.NODES, new byte[8], new byte[32]);
        tx.commit();
      }
      assertError(() -> RollupStateStore.open(dir, t.options), StateError.CORRUPTED_DATA);
    } finally {
      TestData.delete(dir);
    }
  }

  @Test
  void corruptedNodeBytesAreTypedErrorsAndFailTheBatchWithoutChangingState() {
    // the position leaf at (account 5, market 3) is the sibling of market 2's leaf
    byte[] key = Bytes.ofLong(NodeKeys.key(TreeKind.POSITIONS.code(), 5, 0, 3));
    tamper(tx -> tx.putRaw(Schema.NODES, key, new byte[31]));
    store = RollupStateStore.open(t.dir, t.options);
    t.store = store;
    try (StateView v = store.view()) {
      assertThatThrownBy(() -> v.positionProof(5, 2))
          .isInstanceOfSatisfying(
              StateStoreException.class,
              e -> {
                assertThat(e.error()).isEqualTo(StateError.CORRUPTED_DATA);
                assertThat(e.getMessage()).contains("nodes").contains("31 bytes");
              });
    }
    StateBatch b = store.beginBatch();
    assertError(() -> b.setPositionWitnessed(5, 2, new Position(9, 9)), StateError.CORRUPTED_DATA);
    assertThat(b.isOpen()).isFalse();
    assertError(b::commit, StateError.BATCH_CLOSED);
    assertThat(store.version()).isEqualTo(versionBefore);
    assertThat(store.root()).isEqualTo(rootBefore);
    try (StateBatch c = store.beginBatch()) { // a new batch may begin
      c.setPosition(5, 2, new Position(9, 9));
      assertError(c::roots, StateError.CORRUPTED_DATA);
    }
    assertThat(store.version()).isEqualTo(versionBefore);

    byte[] notCanonical = new byte[32];
    Arrays.fill(notCanonical, (byte) 0xff);
    tamper(tx -> tx.putRaw(Schema.NODES, key, notCanonical));
    store = RollupStateStore.open(t.dir, t.options);
    t.store = store;
    try (StateView v = store.view()) {
      assertThatThrownBy(() -> v.positionProof(5, 2))
          .hasMessageContaining("not below the field modulus");
    }
  }

  @Test
  void corruptedRecordsAndRootsAreTypedErrors() {
    tamper(
        tx ->
            tx.putRaw(
                Schema.ACCOUNTS,
                Bytes.ofLong(Schema.recordKey(LeafKind.ACCOUNT, 5, 0)),
                new byte[99]));
    store = RollupStateStore.open(t.dir, t.options);
    t.store = store;
    try (StateView v = store.view()) {
      assertThatThrownBy(() -> v.account(5))
          .isInstanceOfSatisfying(
              StateStoreException.class,
              e -> {
                assertThat(e.error()).isEqualTo(StateError.CORRUPTED_DATA);
                assertThat(e.getMessage()).contains("accounts").contains("99 bytes");
              });
    }
    StateBatch b = store.beginBatch();
    assertError(() -> b.setAccount(5, TestData.account(1)), StateError.CORRUPTED_DATA);
    assertThat(store.version()).isEqualTo(versionBefore);
    assertThat(store.root()).isEqualTo(rootBefore);

    tamper(tx -> tx.putRaw(Schema.ROOTS, Bytes.ofLong(versionBefore), new byte[5]));
    assertError(() -> RollupStateStore.open(t.dir, t.options), StateError.CORRUPTED_DATA);
    tamper(tx -> tx.delete(Schema.META, Schema.META_VERSION));
    assertError(() -> RollupStateStore.open(t.dir, t.options), StateError.CORRUPTED_DATA);
  }

  static byte[][] snapshotFiles(Path dir) throws Exception {
    try (var s = Files.list(dir)) {
      // the info LOG may be rotated by RocksDB's read-only open; every data file must be untouched
      List<Path> files =
          s.filter(Files::isRegularFile)
              .filter(p -> !p.getFileName().toString().startsWith("LOG"))
              .sorted()
              .toList();
      byte[][] out = new byte[files.size() * 2][];
      for (int i = 0; i < files.size(); i++) {
        out[2 * i] =
            files.get(i).getFileName().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out[2 * i + 1] =
            files.get(i).getFileName().toString().equals("LOCK")
                ? new byte[0]
                : Files.readAllBytes(files.get(i));
      }
      return out;
    }
  }
}
