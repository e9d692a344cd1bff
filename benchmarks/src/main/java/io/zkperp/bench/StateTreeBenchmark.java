package io.zkperp.bench;

import io.zkperp.protocol.state.Account;
import io.zkperp.state.AccountProof;
import io.zkperp.state.RollupStateStore;
import io.zkperp.state.StateBatch;
import io.zkperp.state.StateStoreOptions;
import io.zkperp.state.StateView;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Account updates and proofs on a RocksDB state holding {@code accounts} populated accounts (built
 * beforehand by {@link TreeBenchmarks}). Each update rewrites one random existing account's
 * collateral; a batch of {@link #BATCH} updates is committed (one fsynced atomic write) per
 * invocation, so the figures include storage, not only hashing.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
public class StateTreeBenchmark {
  /** Updates per committed batch. */
  public static final int BATCH = 1000;

  /** Directory of the populated store. */
  @Param("")
  public String dir;

  /** How many accounts the store holds. */
  @Param("1000000")
  public int accounts;

  private RollupStateStore store;
  private StateView latest;
  // Seeded per fork: the store skips updates that write the value a leaf already holds, so every
  // update must carry a value no earlier run or fork wrote (a random 62-bit start, then +1).
  private final SplittableRandom random = new SplittableRandom(System.nanoTime());
  private long collateral = random.nextLong(1L << 62);

  /** Opens the populated store. */
  @Setup(Level.Trial)
  public void open() {
    store = RollupStateStore.open(Path.of(dir), StateStoreOptions.DEFAULT);
    if (store.view().account(BenchAccounts.id(accounts - 1)).isEmpty()) {
      throw new IllegalStateException("store at " + dir + " is not populated with " + accounts);
    }
  }

  /** A fresh view of the latest version for the proof benchmark. */
  @Setup(Level.Iteration)
  public void view() {
    latest = store.view();
  }

  /** Closes the view of the iteration. */
  @TearDown(Level.Iteration)
  public void closeView() {
    latest.close();
  }

  /** Closes the store. */
  @TearDown(Level.Trial)
  public void close() {
    store.close();
  }

  private Account next(int[] idOut) {
    int i = random.nextInt(accounts);
    idOut[0] = BenchAccounts.id(i);
    return BenchAccounts.account(i, collateral++);
  }

  /**
   * Witness mode: every update recomputes its path at once and returns its witness.
   *
   * @return the batch's new state root
   */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public Object witnessUpdates() {
    int[] id = new int[1];
    try (StateBatch batch = store.beginBatch()) {
      for (int k = 0; k < BATCH; k++) {
        Account a = next(id);
        batch.setAccountWitnessed(id[0], a);
      }
      return batch.commit();
    }
  }

  /**
   * Batched mode: updates are recorded and the dirty nodes hashed once at commit.
   *
   * @return the batch's new state root
   */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public Object batchedUpdates() {
    int[] id = new int[1];
    try (StateBatch batch = store.beginBatch()) {
      for (int k = 0; k < BATCH; k++) {
        Account a = next(id);
        batch.setAccount(id[0], a);
      }
      return batch.commit();
    }
  }

  /**
   * An inclusion proof of a random account against the latest committed root.
   *
   * @return the proof
   */
  @Benchmark
  public AccountProof accountProof() {
    return latest.accountProof(BenchAccounts.id(random.nextInt(accounts)));
  }
}
