package io.zkperp.state;

import io.zkperp.protocol.field.Fr;
import java.nio.file.Path;

/**
 * The process the crash test kills: opens the store, then commits the deterministic batches {@code
 * version + 1, version + 2, ...} forever, printing {@code committed <version> <root>} after each
 * commit returns (so every printed version is durable).
 */
public final class CrashChild {
  private CrashChild() {}

  /**
   * Entry point.
   *
   * @param args database directory, seed
   */
  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    long seed = Long.parseLong(args[1]);
    try (RollupStateStore store =
        RollupStateStore.open(
            dir,
            StateStoreOptions.DEFAULT
                .withKeptVersions(4)
                .withBlockCacheBytes(16L << 20)
                .withWriteBufferBytes(16L << 20))) {
      System.out.println("ready " + store.version() + " " + store.root());
      System.out.flush();
      while (true) {
        try (StateBatch b = store.beginBatch()) {
          long v = b.version();
          boolean witness = CrashWorkload.witnessMode(v);
          for (StatePropertiesTest.Op op : CrashWorkload.batch(seed, v)) {
            CrashWorkload.apply(b, op, witness);
          }
          Fr pending = b.root(); // hash everything, so commit() below is only the RocksDB write
          System.out.println("writing " + v + " " + pending);
          System.out.flush();
          b.commit();
          System.out.println("committed " + v + " " + store.root());
          System.out.flush();
        }
      }
    }
  }
}
