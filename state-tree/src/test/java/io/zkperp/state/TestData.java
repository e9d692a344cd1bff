package io.zkperp.state;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.Account;
import io.zkperp.protocol.state.Fill;
import io.zkperp.protocol.state.GlobalState;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.protocol.state.Market;
import io.zkperp.protocol.state.MarketRisk;
import io.zkperp.protocol.state.Position;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/** Deterministic records and temp directories for tests. */
final class TestData {
  private TestData() {}

  static Account account(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    byte[] owner = new byte[20];
    for (int i = 0; i < owner.length; i++) {
      owner[i] = (byte) r.nextInt();
    }
    return new Account(
        Fr.fromUnsignedLong(r.nextLong()),
        Fr.fromLong(r.nextLong()),
        L1Address.of(owner),
        r.nextLong(),
        r.nextLong());
  }

  static Position position(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    long size = r.nextLong(-1_000_000, 1_000_000);
    return new Position(size == 0 ? 1 : size, r.nextLong());
  }

  static Fill fill(long nonce, long filled) {
    return new Fill(nonce, filled);
  }

  static Market market(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    return new Market(
        r.nextLong(),
        r.nextLong(),
        r.nextLong(),
        r.nextLong(),
        r.nextLong(),
        new MarketRisk(
            r.nextLong(),
            r.nextLong(),
            r.nextLong(),
            r.nextLong(),
            r.nextLong(),
            r.nextLong(),
            r.nextLong()));
  }

  static GlobalState global(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    return new GlobalState(r.nextLong(), r.nextLong());
  }

  static Path tempDir(String prefix) {
    try {
      return Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void delete(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A store in a fresh temp directory, deleted on close. */
  static final class TempStore implements AutoCloseable {
    final Path dir;
    RollupStateStore store;
    final StateStoreOptions options;

    TempStore(StateStoreOptions options) {
      this.dir = tempDir("zkperp-state-");
      this.options = options;
      this.store = RollupStateStore.open(dir, options);
    }

    TempStore() {
      this(StateStoreOptions.DEFAULT.withBlockCacheBytes(8L << 20).withWriteBufferBytes(8L << 20));
    }

    RollupStateStore reopen() {
      store.close();
      store = RollupStateStore.open(dir, options);
      return store;
    }

    @Override
    public void close() {
      store.close();
      delete(dir);
    }
  }
}
