package io.zkperp.state;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.Account;
import io.zkperp.protocol.state.Fill;
import io.zkperp.protocol.state.GlobalState;
import io.zkperp.protocol.state.Market;
import io.zkperp.protocol.state.Position;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A read-only view of one committed, kept version, backed by a RocksDB snapshot: records, subtree
 * roots and proofs as of that version, unaffected by later commits, rollbacks or pruning while the
 * view is open.
 *
 * <p>Thread-safety: a view is confined to one thread at a time (it keeps RocksDB iterators); any
 * number of views may be used concurrently, on any threads, alongside the writer. Close it when
 * done ({@link RollupStateStore#close} closes views still open).
 */
public final class StateView implements AutoCloseable {
  private final RollupStateStore store;
  private final VersionedReader reader;
  private volatile boolean closed;

  StateView(RollupStateStore store, VersionedReader reader) {
    this.store = store;
    this.reader = reader;
  }

  private <T> T read(Supplier<T> op) {
    return store.readLocked(
        () -> {
          if (closed) {
            throw new StateStoreException(StateError.STORE_CLOSED, "the view is closed");
          }
          return op.get();
        });
  }

  /**
   * The version this view reads.
   *
   * @return the version
   */
  public long version() {
    return reader.version();
  }

  /**
   * The roots of this version.
   *
   * @return roots
   */
  public StateRoots roots() {
    return reader.roots();
  }

  /**
   * The state root of this version.
   *
   * @return the root
   */
  public Fr root() {
    return reader.roots().stateRoot();
  }

  /**
   * An account's fields.
   *
   * @param id account id
   * @return the account, or empty if the slot is empty
   * @throws StateStoreException INDEX_OUT_OF_RANGE, CORRUPTED_DATA
   */
  public Optional<Account> account(int id) {
    Checks.account(id);
    return read(() -> Optional.ofNullable(reader.account(id)));
  }

  /**
   * A position.
   *
   * @param account account id
   * @param market market id
   * @return the position, {@link Position#NONE} if none
   * @throws StateStoreException INDEX_OUT_OF_RANGE, CORRUPTED_DATA
   */
  public Position position(int account, int market) {
    Checks.account(account);
    Checks.market(market);
    return read(() -> reader.position(account, market));
  }

  /**
   * The fill in a slot.
   *
   * @param account account id
   * @param slot slot (order nonce mod 2^16)
   * @return the fill, or empty if the slot is empty
   * @throws StateStoreException INDEX_OUT_OF_RANGE, CORRUPTED_DATA
   */
  public Optional<Fill> fill(int account, int slot) {
    Checks.account(account);
    Checks.slot(slot);
    return read(() -> Optional.ofNullable(reader.fill(account, slot)));
  }

  /**
   * A market.
   *
   * @param id market id
   * @return the market, or empty if not listed
   * @throws StateStoreException INDEX_OUT_OF_RANGE, CORRUPTED_DATA
   */
  public Optional<Market> market(int id) {
    Checks.market(id);
    return read(() -> Optional.ofNullable(reader.market(id)));
  }

  /**
   * The global leaf's fields.
   *
   * @return the global state
   */
  public GlobalState global() {
    return read(reader::global);
  }

  /**
   * The proof of an account slot (existing or empty).
   *
   * @param id account id
   * @return the proof
   * @throws StateStoreException INDEX_OUT_OF_RANGE, CORRUPTED_DATA
   */
  public AccountProof accountProof(int id) {
    Checks.account(id);
    return read(() -> StateQueries.accountProof(reader, reader, reader.roots(), id));
  }

  /**
   * The proof of a position slot (existing or empty).
   *
   * @param account account id
   * @param market market id
   * @return the proof
   * @throws StateStoreException INDEX_OUT_OF_RANGE, CORRUPTED_DATA
   */
  public PositionProof positionProof(int account, int market) {
    Checks.account(account);
    Checks.market(market);
    return read(() -> StateQueries.positionProof(reader, reader, reader.roots(), account, market));
  }

  /**
   * The proof of a fill slot (existing or empty).
   *
   * @param account account id
   * @param slot slot (order nonce mod 2^16)
   * @return the proof
   * @throws StateStoreException INDEX_OUT_OF_RANGE, CORRUPTED_DATA
   */
  public FillProof fillProof(int account, int slot) {
    Checks.account(account);
    Checks.slot(slot);
    return read(() -> StateQueries.fillProof(reader, reader, reader.roots(), account, slot));
  }

  /**
   * The proof of a market slot (listed or empty).
   *
   * @param market market id
   * @return the proof
   * @throws StateStoreException INDEX_OUT_OF_RANGE, CORRUPTED_DATA
   */
  public MarketProof marketProof(int market) {
    Checks.market(market);
    return read(() -> StateQueries.marketProof(reader, reader, reader.roots(), market));
  }

  /**
   * The proof of the global leaf.
   *
   * @return the proof
   */
  public GlobalProof globalProof() {
    return read(() -> StateQueries.globalProof(reader, reader.roots()));
  }

  /**
   * The root of an account's positions tree.
   *
   * @param account account id
   * @return the root ({@code Z_6} if empty)
   */
  public Fr positionsRoot(int account) {
    Checks.account(account);
    return read(() -> StateQueries.subtreeRoot(reader, TreeKind.POSITIONS, account));
  }

  /**
   * The root of an account's fills tree.
   *
   * @param account account id
   * @return the root ({@code Z_16} if empty)
   */
  public Fr fillsRoot(int account) {
    Checks.account(account);
    return read(() -> StateQueries.subtreeRoot(reader, TreeKind.FILLS, account));
  }

  /** Releases the snapshot. Idempotent. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      store.release(this);
    }
  }

  void closeSnapshot() {
    closed = true;
    reader.close();
  }
}
