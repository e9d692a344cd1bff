package io.zkperp.state.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkperp.state.StateError;
import io.zkperp.state.StateStoreException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KvStoreTest {
  static final KvSerializer<String> UTF8 =
      KvSerializer.of(
          s -> s.getBytes(StandardCharsets.UTF_8), b -> new String(b, StandardCharsets.UTF_8));

  /** Values must be exactly 8 bytes: anything else is "corrupted". */
  static final KvColumn<Long, Long> NUMBERS =
      KvColumn.of("numbers", 1, KvSerializer.int64(), KvSerializer.int64());

  static final KvColumn<String, String> NAMES = KvColumn.of("names", 2, UTF8, UTF8);

  static final KvColumn<byte[], byte[]> PREFIXED =
      KvColumn.of("prefixed", 3, KvSerializer.raw(), KvSerializer.raw()).withPrefixLength(2);

  static final List<KvColumn<?, ?>> COLUMNS = List.of(NUMBERS, NAMES, PREFIXED);
  static final KvStoreConfig CONFIG = new KvStoreConfig(8L << 20, 8L << 20, 1);

  Path dir;
  KvStore store;

  @BeforeEach
  void open() throws Exception {
    dir = Files.createTempDirectory("zkperp-kv-");
    store = KvStore.open(dir, COLUMNS, CONFIG);
  }

  @AfterEach
  void close() throws Exception {
    store.close();
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Test
  void transactionWritesAllColumnsAtomicallyAndNothingBeforeCommit() {
    try (KvTransaction tx = store.beginTransaction()) {
      tx.put(NUMBERS, 7L, 49L);
      tx.put(NAMES, "a", "alpha");
      assertThat(tx.size()).isEqualTo(2);
      assertThat(store.get(NUMBERS, 7L)).isEmpty();
      assertThat(store.get(NAMES, "a")).isEmpty();
      tx.commit();
    }
    assertThat(store.get(NUMBERS, 7L)).contains(49L);
    assertThat(store.get(NAMES, "a")).contains("alpha");

    try (KvTransaction tx = store.beginTransaction()) {
      tx.delete(NUMBERS, 7L);
      tx.put(NAMES, "a", "beta");
      // closed without commit: discarded
    }
    assertThat(store.get(NUMBERS, 7L)).contains(49L);
    assertThat(store.get(NAMES, "a")).contains("alpha");
  }

  @Test
  void committedTransactionCannotBeReused() {
    KvTransaction tx = store.beginTransaction();
    tx.put(NUMBERS, 1L, 1L);
    tx.commit();
    assertThatThrownBy(() -> tx.put(NUMBERS, 2L, 2L))
        .isInstanceOfSatisfying(
            StateStoreException.class,
            e -> assertThat(e.error()).isEqualTo(StateError.BATCH_CLOSED));
  }

  @Test
  void valuesSurviveReopen() {
    try (KvTransaction tx = store.beginTransaction()) {
      tx.put(NUMBERS, 3L, -3L);
      tx.commit();
    }
    store.close();
    store = KvStore.open(dir, COLUMNS, CONFIG);
    assertThat(store.get(NUMBERS, 3L)).contains(-3L);
  }

  @Test
  void malformedBytesAreTypedCorruption() {
    try (KvTransaction tx = store.beginTransaction()) {
      tx.putRaw(NUMBERS, KvSerializer.int64().serialize(5L), new byte[] {1, 2, 3});
      tx.commit();
    }
    assertThatThrownBy(() -> store.get(NUMBERS, 5L))
        .isInstanceOfSatisfying(
            StateStoreException.class,
            e -> {
              assertThat(e.error()).isEqualTo(StateError.CORRUPTED_DATA);
              assertThat(e.getMessage()).contains("numbers").contains("3 bytes");
            });
  }

  @Test
  void rawGetIntoBufferReportsFullLength() {
    try (KvTransaction tx = store.beginTransaction()) {
      tx.putRaw(NAMES, "k".getBytes(StandardCharsets.UTF_8), new byte[40]);
      tx.commit();
    }
    byte[] buf = new byte[33];
    assertThat(store.getRaw(NAMES, "k".getBytes(StandardCharsets.UTF_8), buf)).isEqualTo(40);
    assertThat(store.getRaw(NAMES, "missing".getBytes(StandardCharsets.UTF_8), buf)).isEqualTo(-1);
  }

  @Test
  void snapshotIsIsolatedFromLaterCommits() {
    try (KvTransaction tx = store.beginTransaction()) {
      tx.put(NUMBERS, 1L, 10L);
      tx.commit();
    }
    try (KvSnapshot snap = store.snapshot()) {
      try (KvTransaction tx = store.beginTransaction()) {
        tx.put(NUMBERS, 1L, 11L);
        tx.put(NUMBERS, 2L, 20L);
        tx.commit();
      }
      assertThat(snap.get(NUMBERS, 1L)).contains(10L);
      assertThat(snap.get(NUMBERS, 2L)).isEmpty();
      assertThat(store.get(NUMBERS, 1L)).contains(11L);
    }
  }

  @Test
  void prefixSeekStaysInPrefixAndScansAreOrdered() {
    try (KvTransaction tx = store.beginTransaction()) {
      tx.putRaw(PREFIXED, new byte[] {1, 1, 5}, new byte[] {15});
      tx.putRaw(PREFIXED, new byte[] {1, 1, 9}, new byte[] {19});
      tx.putRaw(PREFIXED, new byte[] {1, 2, 0}, new byte[] {20});
      tx.commit();
    }
    try (KvSnapshot snap = store.snapshot()) {
      assertThat(snap.ceilingInPrefix(PREFIXED, new byte[] {1, 1, 6}).value()).containsExactly(19);
      assertThat(snap.ceilingInPrefix(PREFIXED, new byte[] {1, 1, 10})).isNull();
      assertThat(snap.ceilingInPrefix(PREFIXED, new byte[] {1, 1, 0}).value()).containsExactly(15);
    }
    List<Integer> seen = new ArrayList<>();
    store.scan(
        PREFIXED,
        new byte[] {1, 1, 6},
        new byte[] {1, 2, 1},
        (k, v) -> {
          seen.add((int) v[0]);
          return true;
        });
    assertThat(seen).containsExactly(19, 20);
  }

  @Test
  void readOnlyOpenSeesDataAndRefusesWrites() {
    try (KvTransaction tx = store.beginTransaction()) {
      tx.put(NAMES, "x", "y");
      tx.commit();
    }
    store.close();
    KvColumn<Long, Long> absent =
        KvColumn.of("absent", 9, KvSerializer.int64(), KvSerializer.int64());
    try (KvStore ro =
        KvStore.openReadOnly(dir, List.of(NUMBERS, NAMES, PREFIXED, absent), CONFIG)) {
      assertThat(ro.get(NAMES, "x")).contains("y");
      assertThat(ro.get(absent, 1L)).isEqualTo(Optional.empty());
      assertThat(ro.isEmpty(absent)).isTrue();
      assertThatThrownBy(ro::beginTransaction).isInstanceOf(StateStoreException.class);
    }
    store = KvStore.open(dir, COLUMNS, CONFIG);
  }

  @Test
  void closedStoreRefusesUse() {
    store.close();
    assertThatThrownBy(() -> store.get(NUMBERS, 1L))
        .isInstanceOfSatisfying(
            StateStoreException.class,
            e -> assertThat(e.error()).isEqualTo(StateError.STORE_CLOSED));
    store = KvStore.open(dir, COLUMNS, CONFIG);
  }

  @Test
  void foreignColumnIsRejected() {
    KvColumn<Long, Long> other =
        KvColumn.of("other", 1, KvSerializer.int64(), KvSerializer.int64());
    assertThatThrownBy(() -> store.get(other, 1L)).isInstanceOf(IllegalArgumentException.class);
  }
}
