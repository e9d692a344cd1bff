package io.zkperp.state;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.Account;
import io.zkperp.protocol.state.Fill;
import io.zkperp.protocol.state.GlobalState;
import io.zkperp.protocol.state.Market;
import io.zkperp.protocol.state.Position;
import io.zkperp.state.kv.Bytes;
import io.zkperp.state.kv.KvColumn;
import io.zkperp.state.kv.KvStore;
import io.zkperp.state.smt.MerkleEngine;
import io.zkperp.state.smt.NodeKeys;
import io.zkperp.state.smt.NodeSource;
import io.zkperp.state.smt.PathWitness;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The changes of one L2 batch, held in memory until {@link #commit} writes them as one atomic,
 * fsynced RocksDB write and the store's version becomes {@link #version()}.
 *
 * <p>Two ways to update, freely mixed:
 *
 * <ul>
 *   <li><b>batched</b> ({@code setAccount}, {@code setPosition}, ...): the record is stored in the
 *       batch and hashing is deferred until a root is needed ({@link #roots()}, a proof, a
 *       witnessed update, or {@link #commit}); then every changed leaf is hashed once and every
 *       dirty tree node once, so tree nodes shared by many updates are hashed once per flush;
 *   <li><b>witness</b> ({@code setAccountWitnessed}, ...): the update's paths are recomputed at
 *       once and an {@link UpdateWitness} is returned with the siblings, the old and new leaves and
 *       roots of each tree on the way, and the intermediate state root.
 * </ul>
 *
 * <p>Reads ({@link #account}, {@link #position}, proofs, roots) see the batch's pending writes.
 *
 * <p>Errors: an index out of range ({@code INDEX_OUT_OF_RANGE}) or a position or fill for an
 * account that exists neither committed nor in this batch ({@code ACCOUNT_NOT_FOUND}) is refused
 * before anything changes, and the batch stays usable. {@code CORRUPTED_DATA} or {@code
 * STORAGE_FAILURE} fails the batch: it is discarded, the committed state is unchanged, and a new
 * batch may begin.
 *
 * <p>Thread-safety: confined to the store's writer thread.
 */
public final class StateBatch implements AutoCloseable {
  private static final int ACC = TreeKind.ACCOUNTS.code();
  private static final int POS = TreeKind.POSITIONS.code();
  private static final int FIL = TreeKind.FILLS.code();
  private static final int MKT = TreeKind.MARKETS.code();

  private enum Status {
    OPEN,
    COMMITTED,
    ABORTED,
    FAILED
  }

  /** A leaf touched by this batch: its committed value and its current value. */
  static final class Pending {
    final LeafKind kind;
    final int account;
    final int index;
    final byte[] committedBytes;
    final Object committed;
    Object current;
    boolean dirty;

    Pending(LeafKind kind, int account, int index, byte[] committedBytes, Object committed) {
      this.kind = kind;
      this.account = account;
      this.index = index;
      this.committedBytes = committedBytes;
      this.committed = committed;
      this.current = committed;
    }

    LeafChange change(Object before, Object after) {
      return switch (kind) {
        case ACCOUNT -> new LeafChange.AccountChange(account, (Account) before, (Account) after);
        case POSITION ->
            new LeafChange.PositionChange(account, index, (Position) before, (Position) after);
        case FILL -> new LeafChange.FillChange(account, index, (Fill) before, (Fill) after);
        case MARKET -> new LeafChange.MarketChange(index, (Market) before, (Market) after);
        case GLOBAL -> new LeafChange.GlobalChange((GlobalState) before, (GlobalState) after);
      };
    }

    LeafChange batchChange() {
      return change(committed, current);
    }
  }

  private final RollupStateStore store;
  private final MerkleEngine engine;
  private final LeafHasher hasher;
  private final KvStore kv;
  private final long version;
  private final long compressionsAtStart;
  private final long hashingNanosAtStart;
  private final HashMap<Long, Pending> pending = new HashMap<>();
  private final ArrayList<Pending> dirtyLeaves = new ArrayList<>();
  private final ArrayList<Pending> dirtyAccounts = new ArrayList<>();
  private Pending dirtyGlobal;
  private final long[] globalLeaf = new long[4];
  private StateRoots roots;
  private Status status = Status.OPEN;

  StateBatch(
      RollupStateStore store,
      MerkleEngine engine,
      LeafHasher hasher,
      KvStore kv,
      long version,
      StateRoots committedRoots) {
    this.store = store;
    this.engine = engine;
    this.hasher = hasher;
    this.kv = kv;
    this.version = version;
    this.compressionsAtStart = engine.compressions();
    this.hashingNanosAtStart = engine.hashingNanos();
    this.roots = committedRoots;
    committedRoots.globalLeaf().toMontgomery(globalLeaf, 0);
  }

  /**
   * The version this batch becomes when committed (the store's version + 1).
   *
   * @return the version
   */
  public long version() {
    return version;
  }

  /**
   * Poseidon2 compressions this batch has performed so far (leaf hashes, tree nodes, state roots;
   * the per-tag first block is precomputed and not counted).
   *
   * @return the count
   */
  public long compressions() {
    return engine.compressions() - compressionsAtStart;
  }

  /**
   * Wall-clock nanoseconds the writer thread spent in Poseidon2 compressions for this batch so far.
   * Divided by the batch's elapsed time it is the fraction of the hash-bound limit achieved,
   * measured under the same CPU conditions.
   *
   * @return nanoseconds
   */
  public long hashingNanos() {
    return engine.hashingNanos() - hashingNanosAtStart;
  }

  /**
   * Whether the batch can still be updated and committed.
   *
   * @return true while open
   */
  public boolean isOpen() {
    return status == Status.OPEN;
  }

  // ---------------------------------------------------------------- batched-mode updates

  /**
   * Creates an account or replaces its own fields (its positions and fills are kept). Hashing is
   * deferred.
   *
   * @param id account id
   * @param account the fields
   * @throws StateStoreException INDEX_OUT_OF_RANGE, BATCH_CLOSED
   */
  public void setAccount(int id, Account account) {
    Objects.requireNonNull(account, "account");
    checkOpen();
    Checks.account(id);
    guarded(
        () -> {
          Pending p = load(LeafKind.ACCOUNT, id, 0);
          p.current = account;
          markAccount(p);
          roots = null;
          return null;
        });
  }

  /**
   * Sets an account's position in a market; {@link Position#NONE} (size 0) removes it. Hashing is
   * deferred.
   *
   * @param account account id (must exist)
   * @param market market id
   * @param position the position
   * @throws StateStoreException INDEX_OUT_OF_RANGE, ACCOUNT_NOT_FOUND, BATCH_CLOSED
   */
  public void setPosition(int account, int market, Position position) {
    Objects.requireNonNull(position, "position");
    checkOpen();
    Checks.account(account);
    Checks.market(market);
    guarded(
        () -> {
          Pending a = requireAccount(account);
          Pending p = load(LeafKind.POSITION, account, market);
          p.current = position;
          markLeaf(p);
          markAccount(a);
          roots = null;
          return null;
        });
  }

  /**
   * Sets the fill in slot {@code Fill.slotOf(fill.orderNonce())} of an account. Hashing is
   * deferred.
   *
   * @param account account id (must exist)
   * @param fill the fill
   * @throws StateStoreException INDEX_OUT_OF_RANGE, ACCOUNT_NOT_FOUND, BATCH_CLOSED
   */
  public void setFill(int account, Fill fill) {
    Objects.requireNonNull(fill, "fill");
    checkOpen();
    Checks.account(account);
    guarded(
        () -> {
          Pending a = requireAccount(account);
          Pending p = load(LeafKind.FILL, account, fill.slot());
          p.current = fill;
          markLeaf(p);
          markAccount(a);
          roots = null;
          return null;
        });
  }

  /**
   * Lists a market or replaces its fields. Hashing is deferred.
   *
   * @param id market id
   * @param market the market
   * @throws StateStoreException INDEX_OUT_OF_RANGE, BATCH_CLOSED
   */
  public void setMarket(int id, Market market) {
    Objects.requireNonNull(market, "market");
    checkOpen();
    Checks.market(id);
    guarded(
        () -> {
          Pending p = load(LeafKind.MARKET, 0, id);
          p.current = market;
          markLeaf(p);
          roots = null;
          return null;
        });
  }

  /**
   * Replaces the global leaf. Hashing is deferred.
   *
   * @param global the global state
   * @throws StateStoreException BATCH_CLOSED
   */
  public void setGlobal(GlobalState global) {
    Objects.requireNonNull(global, "global");
    checkOpen();
    guarded(
        () -> {
          Pending p = load(LeafKind.GLOBAL, 0, 0);
          p.current = global;
          dirtyGlobal = p;
          roots = null;
          return null;
        });
  }

  // ---------------------------------------------------------------- witness-mode updates

  /**
   * {@link #setAccount} in witness mode: hashes now and returns the witness (one accounts-tree
   * step).
   *
   * @param id account id
   * @param account the fields
   * @return the witness
   * @throws StateStoreException INDEX_OUT_OF_RANGE, BATCH_CLOSED, CORRUPTED_DATA
   */
  public UpdateWitness setAccountWitnessed(int id, Account account) {
    Objects.requireNonNull(account, "account");
    checkOpen();
    Checks.account(id);
    return guarded(
        () -> {
          flush();
          StateRoots before = roots;
          Pending p = load(LeafKind.ACCOUNT, id, 0);
          Account old = (Account) p.current;
          long[] roots2 = new long[8];
          engine.readMany(
              new long[] {
                NodeKeys.key(POS, id, TreeKind.POSITIONS.depth(), 0),
                NodeKeys.key(FIL, id, TreeKind.FILLS.depth(), 0)
              },
              2,
              roots2);
          long[] pr = java.util.Arrays.copyOfRange(roots2, 0, 4);
          long[] fr = java.util.Arrays.copyOfRange(roots2, 4, 8);
          long[] leaf = new long[4];
          hasher.account(account, pr, 0, fr, 0, leaf, 0);
          PathWitness w = engine.updateLeaf(ACC, 0, id, leaf, 0);
          p.current = account;
          StateRoots after = rootsWith(w.newRoot(), before.marketsRoot());
          roots = after;
          Fr prf = Fr.fromMontgomery(pr, 0);
          Fr frf = Fr.fromMontgomery(fr, 0);
          return new UpdateWitness(
              p.change(old, account),
              List.of(TreeUpdate.of(TreeKind.ACCOUNTS, 0, w)),
              new AccountLeaf(old, prf, frf),
              new AccountLeaf(account, prf, frf),
              before,
              after);
        });
  }

  /**
   * {@link #setPosition} in witness mode: two steps (the account's positions tree, then the
   * accounts tree).
   *
   * @param account account id (must exist)
   * @param market market id
   * @param position the position ({@link Position#NONE} removes it)
   * @return the witness
   * @throws StateStoreException INDEX_OUT_OF_RANGE, ACCOUNT_NOT_FOUND, BATCH_CLOSED, CORRUPTED_DATA
   */
  public UpdateWitness setPositionWitnessed(int account, int market, Position position) {
    Objects.requireNonNull(position, "position");
    checkOpen();
    Checks.account(account);
    Checks.market(market);
    return guarded(
        () -> {
          Pending a = requireAccount(account);
          flush();
          Pending p = load(LeafKind.POSITION, account, market);
          Position old = (Position) p.current;
          long[] leaf = new long[4];
          hasher.position(position, leaf, 0);
          return subtreeWitnessed(TreeKind.POSITIONS, a, p, old, position, leaf);
        });
  }

  /**
   * {@link #setFill} in witness mode: two steps (the account's fills tree, then the accounts tree).
   *
   * @param account account id (must exist)
   * @param fill the fill
   * @return the witness
   * @throws StateStoreException INDEX_OUT_OF_RANGE, ACCOUNT_NOT_FOUND, BATCH_CLOSED, CORRUPTED_DATA
   */
  public UpdateWitness setFillWitnessed(int account, Fill fill) {
    Objects.requireNonNull(fill, "fill");
    checkOpen();
    Checks.account(account);
    return guarded(
        () -> {
          Pending a = requireAccount(account);
          flush();
          Pending p = load(LeafKind.FILL, account, fill.slot());
          Fill old = (Fill) p.current;
          long[] leaf = new long[4];
          hasher.fill(fill, leaf, 0);
          return subtreeWitnessed(TreeKind.FILLS, a, p, old, fill, leaf);
        });
  }

  private UpdateWitness subtreeWitnessed(
      TreeKind tree, Pending a, Pending p, Object old, Object now, long[] leaf) {
    StateRoots before = roots;
    int account = a.account;
    PathWitness sub = engine.updateLeaf(tree.code(), account, p.index, leaf, 0);
    p.current = now;
    TreeKind other = tree == TreeKind.POSITIONS ? TreeKind.FILLS : TreeKind.POSITIONS;
    long[] otherRoot = new long[4];
    engine.root(other.code(), account, otherRoot, 0);
    long[] subRoot = new long[4];
    sub.newRoot().toMontgomery(subRoot, 0);
    Account acc = (Account) a.current;
    long[] accLeaf = new long[4];
    boolean positions = tree == TreeKind.POSITIONS;
    if (positions) {
      hasher.account(acc, subRoot, 0, otherRoot, 0, accLeaf, 0);
    } else {
      hasher.account(acc, otherRoot, 0, subRoot, 0, accLeaf, 0);
    }
    PathWitness top = engine.updateLeaf(ACC, 0, account, accLeaf, 0);
    StateRoots after = rootsWith(top.newRoot(), before.marketsRoot());
    roots = after;
    Fr otherFr = Fr.fromMontgomery(otherRoot, 0);
    AccountLeaf accBefore =
        positions
            ? new AccountLeaf(acc, sub.oldRoot(), otherFr)
            : new AccountLeaf(acc, otherFr, sub.oldRoot());
    AccountLeaf accAfter =
        positions
            ? new AccountLeaf(acc, sub.newRoot(), otherFr)
            : new AccountLeaf(acc, otherFr, sub.newRoot());
    return new UpdateWitness(
        p.change(old, now),
        List.of(TreeUpdate.of(tree, account, sub), TreeUpdate.of(TreeKind.ACCOUNTS, 0, top)),
        accBefore,
        accAfter,
        before,
        after);
  }

  /**
   * {@link #setMarket} in witness mode: one markets-tree step.
   *
   * @param id market id
   * @param market the market
   * @return the witness
   * @throws StateStoreException INDEX_OUT_OF_RANGE, BATCH_CLOSED, CORRUPTED_DATA
   */
  public UpdateWitness setMarketWitnessed(int id, Market market) {
    Objects.requireNonNull(market, "market");
    checkOpen();
    Checks.market(id);
    return guarded(
        () -> {
          flush();
          StateRoots before = roots;
          Pending p = load(LeafKind.MARKET, 0, id);
          Market old = (Market) p.current;
          long[] leaf = new long[4];
          hasher.market(market, leaf, 0);
          PathWitness w = engine.updateLeaf(MKT, 0, id, leaf, 0);
          p.current = market;
          StateRoots after = rootsWith(before.accountsRoot(), w.newRoot());
          roots = after;
          return new UpdateWitness(
              p.change(old, market),
              List.of(TreeUpdate.of(TreeKind.MARKETS, 0, w)),
              null,
              null,
              before,
              after);
        });
  }

  /**
   * {@link #setGlobal} in witness mode: no tree step, the global leaf changes in the state root.
   *
   * @param global the global state
   * @return the witness
   * @throws StateStoreException BATCH_CLOSED, CORRUPTED_DATA
   */
  public UpdateWitness setGlobalWitnessed(GlobalState global) {
    Objects.requireNonNull(global, "global");
    checkOpen();
    return guarded(
        () -> {
          flush();
          StateRoots before = roots;
          Pending p = load(LeafKind.GLOBAL, 0, 0);
          GlobalState old = (GlobalState) p.current;
          hasher.global(global, globalLeaf, 0);
          p.current = global;
          StateRoots after = rootsWith(before.accountsRoot(), before.marketsRoot());
          roots = after;
          return new UpdateWitness(p.change(old, global), List.of(), null, null, before, after);
        });
  }

  // ---------------------------------------------------------------- reads

  /**
   * The state roots including every pending update (hashes what is pending).
   *
   * @return the roots
   * @throws StateStoreException BATCH_CLOSED, CORRUPTED_DATA
   */
  public StateRoots roots() {
    checkOpen();
    return guarded(
        () -> {
          flush();
          return roots;
        });
  }

  /**
   * The state root including every pending update.
   *
   * @return the root
   */
  public Fr root() {
    return roots().stateRoot();
  }

  /**
   * An account's fields as of this batch.
   *
   * @param id account id
   * @return the account, or empty
   */
  public Optional<Account> account(int id) {
    checkOpen();
    Checks.account(id);
    return guarded(() -> Optional.ofNullable(records.account(id)));
  }

  /**
   * A position as of this batch.
   *
   * @param account account id
   * @param market market id
   * @return the position, {@link Position#NONE} if none
   */
  public Position position(int account, int market) {
    checkOpen();
    Checks.account(account);
    Checks.market(market);
    return guarded(() -> records.position(account, market));
  }

  /**
   * The fill in a slot as of this batch.
   *
   * @param account account id
   * @param slot slot
   * @return the fill, or empty
   */
  public Optional<Fill> fill(int account, int slot) {
    checkOpen();
    Checks.account(account);
    Checks.slot(slot);
    return guarded(() -> Optional.ofNullable(records.fill(account, slot)));
  }

  /**
   * A market as of this batch.
   *
   * @param id market id
   * @return the market, or empty
   */
  public Optional<Market> market(int id) {
    checkOpen();
    Checks.market(id);
    return guarded(() -> Optional.ofNullable(records.market(id)));
  }

  /**
   * The global leaf's fields as of this batch.
   *
   * @return the global state
   */
  public GlobalState global() {
    checkOpen();
    return guarded(records::global);
  }

  /**
   * The proof of an account slot as of this batch (flushes pending hashing).
   *
   * @param id account id
   * @return the proof against {@link #roots()}
   */
  public AccountProof accountProof(int id) {
    checkOpen();
    Checks.account(id);
    return guarded(
        () -> {
          flush();
          return StateQueries.accountProof(records, nodes(), roots, id);
        });
  }

  /**
   * The proof of a position slot as of this batch.
   *
   * @param account account id
   * @param market market id
   * @return the proof against {@link #roots()}
   */
  public PositionProof positionProof(int account, int market) {
    checkOpen();
    Checks.account(account);
    Checks.market(market);
    return guarded(
        () -> {
          flush();
          return StateQueries.positionProof(records, nodes(), roots, account, market);
        });
  }

  /**
   * The proof of a fill slot as of this batch.
   *
   * @param account account id
   * @param slot slot
   * @return the proof against {@link #roots()}
   */
  public FillProof fillProof(int account, int slot) {
    checkOpen();
    Checks.account(account);
    Checks.slot(slot);
    return guarded(
        () -> {
          flush();
          return StateQueries.fillProof(records, nodes(), roots, account, slot);
        });
  }

  /**
   * The proof of a market slot as of this batch.
   *
   * @param market market id
   * @return the proof against {@link #roots()}
   */
  public MarketProof marketProof(int market) {
    checkOpen();
    Checks.market(market);
    return guarded(
        () -> {
          flush();
          return StateQueries.marketProof(records, nodes(), roots, market);
        });
  }

  /**
   * The proof of the global leaf as of this batch.
   *
   * @return the proof against {@link #roots()}
   */
  public GlobalProof globalProof() {
    checkOpen();
    return guarded(
        () -> {
          flush();
          return StateQueries.globalProof(records, roots);
        });
  }

  // ---------------------------------------------------------------- commit / abort

  /**
   * Hashes what is pending and writes the batch: the changed nodes and records, their undo entries,
   * the version's key log and diff, its roots, the new version number and the pruning of versions
   * that fall out of the kept window — one atomic RocksDB write, fsynced. Afterwards the store is
   * at {@link #version()} and this batch is closed.
   *
   * @return the roots of the new version
   * @throws StateStoreException BATCH_CLOSED; CORRUPTED_DATA or STORAGE_FAILURE (then nothing was
   *     written and the batch is failed)
   */
  public StateRoots commit() {
    checkOpen();
    return guarded(
        () -> {
          flush();
          store.commitBatch(this);
          status = Status.COMMITTED;
          store.batchEnded(this);
          return roots;
        });
  }

  /** Discards the batch; nothing is written. Idempotent; a no-op after commit. */
  public void abort() {
    if (status == Status.OPEN) {
      status = Status.ABORTED;
      store.batchEnded(this);
    }
  }

  /** Same as {@link #abort()}: closing an uncommitted batch discards it. */
  @Override
  public void close() {
    abort();
  }

  // ---------------------------------------------------------------- internals

  Collection<Pending> pendingEntries() {
    return pending.values();
  }

  StateRoots currentRoots() {
    return roots;
  }

  private void checkOpen() {
    if (status != Status.OPEN) {
      throw new StateStoreException(
          StateError.BATCH_CLOSED,
          "batch for version "
              + version
              + " is "
              + status.name().toLowerCase(java.util.Locale.ROOT));
    }
    store.checkOpen();
  }

  private <T> T guarded(Supplier<T> op) {
    try {
      return op.get();
    } catch (StateStoreException e) {
      if (e.error() == StateError.CORRUPTED_DATA || e.error() == StateError.STORAGE_FAILURE) {
        fail();
      }
      throw e;
    } catch (RuntimeException | Error e) {
      fail();
      throw e;
    }
  }

  private void fail() {
    if (status == Status.OPEN) {
      status = Status.FAILED;
      store.batchEnded(this);
    }
  }

  private static long pendingKey(LeafKind kind, int account, int index) {
    return ((long) kind.ordinal() << 56) | ((long) account << 32) | (index & 0xffffffffL);
  }

  private Pending load(LeafKind kind, int account, int index) {
    long k = pendingKey(kind, account, index);
    Pending p = pending.get(k);
    if (p == null) {
      KvColumn<Long, ?> column = Schema.recordColumn(kind);
      byte[] kb = Bytes.ofLong(Schema.recordKey(kind, account, index));
      byte[] b = kv.getRaw(column, kb);
      Object committed = b == null ? null : KvStore.decode(column, kb, b);
      if (committed == null && kind == LeafKind.POSITION) {
        committed = Position.NONE;
      }
      if (committed == null && kind == LeafKind.GLOBAL) {
        committed = GlobalState.GENESIS;
      }
      p = new Pending(kind, account, index, b, committed);
      pending.put(k, p);
    }
    return p;
  }

  private Object peek(LeafKind kind, int account, int index) {
    Pending p = pending.get(pendingKey(kind, account, index));
    if (p != null) {
      return p.current;
    }
    KvColumn<Long, ?> column = Schema.recordColumn(kind);
    byte[] kb = Bytes.ofLong(Schema.recordKey(kind, account, index));
    byte[] b = kv.getRaw(column, kb);
    return b == null ? null : KvStore.decode(column, kb, b);
  }

  private Pending requireAccount(int account) {
    Pending a = load(LeafKind.ACCOUNT, account, 0);
    if (a.current == null) {
      throw new StateStoreException(
          StateError.ACCOUNT_NOT_FOUND,
          "account "
              + account
              + " does not exist (neither committed nor created in this batch); create it with"
              + " setAccount before setting its positions or fills");
    }
    return a;
  }

  private void markLeaf(Pending p) {
    if (!p.dirty) {
      p.dirty = true;
      dirtyLeaves.add(p);
    }
  }

  private void markAccount(Pending p) {
    if (!p.dirty) {
      p.dirty = true;
      dirtyAccounts.add(p);
    }
  }

  private StateRoots rootsWith(Fr accountsRoot, Fr marketsRoot) {
    long[] a = new long[4];
    long[] m = new long[4];
    long[] s = new long[4];
    accountsRoot.toMontgomery(a, 0);
    marketsRoot.toMontgomery(m, 0);
    hasher.stateRoot(a, m, globalLeaf, s);
    return new StateRoots(
        accountsRoot, marketsRoot, Fr.fromMontgomery(globalLeaf, 0), Fr.fromMontgomery(s, 0));
  }

  /** Hashes everything pending (batched mode), bottom-up, each leaf and node once. */
  private void flush() {
    if (roots != null) {
      return;
    }
    if (!dirtyLeaves.isEmpty()) {
      hashLeaves();
    }
    engine.flush(POS);
    engine.flush(FIL);
    if (!dirtyAccounts.isEmpty()) {
      hashAccounts();
    }
    engine.flush(ACC);
    engine.flush(MKT);
    if (dirtyGlobal != null) {
      hasher.global((GlobalState) dirtyGlobal.current, globalLeaf, 0);
      dirtyGlobal = null;
    }
    long[] a = new long[4];
    long[] m = new long[4];
    engine.root(ACC, 0, a, 0);
    engine.root(MKT, 0, m, 0);
    roots = rootsWith(Fr.fromMontgomery(a, 0), Fr.fromMontgomery(m, 0));
  }

  private void hashLeaves() {
    int np = 0;
    int nf = 0;
    for (Pending p : dirtyLeaves) {
      if (p.kind == LeafKind.POSITION && !((Position) p.current).isEmpty()) {
        np++;
      } else if (p.kind == LeafKind.FILL) {
        nf++;
      }
    }
    long[] posIn = new long[np * 8];
    long[] filIn = new long[nf * 8];
    Pending[] posP = new Pending[np];
    Pending[] filP = new Pending[nf];
    np = 0;
    nf = 0;
    long[] leaf = new long[4];
    for (Pending p : dirtyLeaves) {
      p.dirty = false;
      switch (p.kind) {
        case POSITION -> {
          Position pos = (Position) p.current;
          if (pos.isEmpty()) {
            java.util.Arrays.fill(leaf, 0L);
            engine.setLeaf(POS, p.account, p.index, leaf, 0);
          } else {
            LeafHasher.positionPreimage(pos, posIn, np * 8);
            posP[np++] = p;
          }
        }
        case FILL -> {
          LeafHasher.fillPreimage((Fill) p.current, filIn, nf * 8);
          filP[nf++] = p;
        }
        case MARKET -> {
          hasher.market((Market) p.current, leaf, 0);
          engine.setLeaf(MKT, 0, p.index, leaf, 0);
        }
        default -> throw new IllegalStateException("unexpected dirty leaf " + p.kind);
      }
    }
    dirtyLeaves.clear();
    long[] out = new long[Math.max(np, nf) * 4];
    hasher.pairs(LeafHasher.PREFIX_POSITION, posIn, np, out);
    setLeaves(POS, posP, np, out);
    hasher.pairs(LeafHasher.PREFIX_FILL, filIn, nf, out);
    setLeaves(FIL, filP, nf, out);
  }

  private void setLeaves(int kind, Pending[] ps, int n, long[] leaves) {
    int[] owners = new int[n];
    long[] indices = new long[n];
    for (int i = 0; i < n; i++) {
      owners[i] = ps[i].account;
      indices[i] = ps[i].index;
    }
    engine.setLeaves(kind, owners, indices, leaves, n);
  }

  private void hashAccounts() {
    int n = dirtyAccounts.size();
    int stride = LeafHasher.ACCOUNT_ELEMENTS * 4;
    long[] in = new long[n * stride];
    // the positions and fills roots of every dirty account, in one batched read
    long[] rootKeys = new long[2 * n];
    for (int i = 0; i < n; i++) {
      int a = dirtyAccounts.get(i).account;
      rootKeys[2 * i] = NodeKeys.key(POS, a, TreeKind.POSITIONS.depth(), 0);
      rootKeys[2 * i + 1] = NodeKeys.key(FIL, a, TreeKind.FILLS.depth(), 0);
    }
    long[] subRoots = new long[2 * n * 4];
    engine.readMany(rootKeys, 2 * n, subRoots);
    for (int i = 0; i < n; i++) {
      Pending p = dirtyAccounts.get(i);
      LeafHasher.accountPreimage(
          (Account) p.current, subRoots, 8 * i, subRoots, 8 * i + 4, in, i * stride);
    }
    long[] out = new long[n * 4];
    hasher.accounts(in, n, out);
    int[] owners = new int[n];
    long[] indices = new long[n];
    for (int i = 0; i < n; i++) {
      Pending p = dirtyAccounts.get(i);
      p.dirty = false;
      indices[i] = p.account;
    }
    engine.setLeaves(ACC, owners, indices, out, n);
    dirtyAccounts.clear();
  }

  private NodeSource nodes() {
    return this::readNode;
  }

  private boolean readNode(long key, long[] dst, int off) {
    engine.read(key, dst, off);
    return true;
  }

  private final RecordSource records =
      new RecordSource() {
        @Override
        public Account account(int id) {
          return (Account) peek(LeafKind.ACCOUNT, id, 0);
        }

        @Override
        public Position position(int account, int market) {
          Position p = (Position) peek(LeafKind.POSITION, account, market);
          return p == null ? Position.NONE : p;
        }

        @Override
        public Fill fill(int account, int slot) {
          return (Fill) peek(LeafKind.FILL, account, slot);
        }

        @Override
        public Market market(int id) {
          return (Market) peek(LeafKind.MARKET, 0, id);
        }

        @Override
        public GlobalState global() {
          GlobalState g = (GlobalState) peek(LeafKind.GLOBAL, 0, 0);
          return g == null ? GlobalState.GENESIS : g;
        }
      };
}
