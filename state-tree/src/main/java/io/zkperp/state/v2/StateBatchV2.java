package io.zkperp.state.v2;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.v2.AccountV2;
import io.zkperp.protocol.state.v2.FillV2;
import io.zkperp.protocol.state.v2.GlobalV2;
import io.zkperp.protocol.state.v2.MarketV2;
import io.zkperp.state.StateError;
import io.zkperp.state.StateStoreException;
import io.zkperp.state.kv.KvStore;
import io.zkperp.state.smt.MerkleEngine;
import io.zkperp.state.smt.PathWitness;
import java.util.Objects;

/**
 * The updates of one version of a {@link StateStoreV2}, in two modes that may be mixed. Batched
 * mode ({@link #setAccount}, {@link #setFill}, {@link #setMarket}, {@link #setGlobal}): records are
 * set now and hashed when {@link #roots} or {@link #commit} is called (each changed leaf once, each
 * dirty node once). Witness mode ({@link #updateAccount}, {@link #updateAccountLeaf}, {@link
 * #updateMarket}, {@link #updateGlobal}): each update is hashed at once, on the state the batch
 * holds at the call, and returns what a step circuit opens for it (records before and after, Merkle
 * paths, roots before and after). A refused update throws a {@link StateStoreException} and changes
 * nothing; the batch stays usable.
 *
 * <p>Writer thread only.
 */
public final class StateBatchV2 {
  private final StateStoreV2 store;
  private final KvStore kv;
  private final long version;
  private final StateStoreV2.Changes changes = new StateStoreV2.Changes();
  private final MerkleEngine engine;
  private boolean ended;
  private boolean hashed = true; // the engine holds every change of this batch, hashed

  StateBatchV2(StateStoreV2 store, KvStore kv, long version) {
    this.store = store;
    this.kv = kv;
    this.version = version;
    this.engine = store.engine();
  }

  /**
   * The version this batch commits as.
   *
   * @return {@code store.version() + 1}
   */
  public long version() {
    return version;
  }

  /**
   * Creates or replaces an account (accounts are never removed).
   *
   * @param id account id in [0, 2^24); 2^24 − 1 is the insurance fund
   * @param account the record
   * @throws StateStoreException INDEX_OUT_OF_RANGE, BATCH_CLOSED
   */
  public void setAccount(long id, AccountV2 account) {
    Objects.requireNonNull(account, "account");
    checkOpen();
    StateStoreV2.checkAccount(id);
    changes.accounts.put(id, account);
    hashed = false;
  }

  /**
   * Sets the fill leaf of slot {@code orderNonce mod 2^12} of an account.
   *
   * @param account an account that exists (committed or set in this batch)
   * @param fill the record; its order nonce must be ≥ 1
   * @throws StateStoreException INDEX_OUT_OF_RANGE (account or nonce 0), ACCOUNT_NOT_FOUND,
   *     BATCH_CLOSED
   */
  public void setFill(long account, FillV2 fill) {
    Objects.requireNonNull(fill, "fill");
    checkOpen();
    StateStoreV2.checkAccount(account);
    if (fill.orderNonce() == 0) {
      throw new StateStoreException(
          StateError.INDEX_OUT_OF_RANGE, "order nonce 0: fill nonces start at 1");
    }
    if (account(account) == null) {
      throw new StateStoreException(
          StateError.ACCOUNT_NOT_FOUND, "account " + account + " does not exist");
    }
    changes.fills.put(SchemaV2.fillKey(account, fill.slot()), fill);
    hashed = false;
  }

  /**
   * Lists or updates a market.
   *
   * @param id market id in [0, 64)
   * @param market the record
   * @throws StateStoreException INDEX_OUT_OF_RANGE, BATCH_CLOSED
   */
  public void setMarket(int id, MarketV2 market) {
    Objects.requireNonNull(market, "market");
    checkOpen();
    StateStoreV2.checkMarket(id);
    changes.markets.put(id, market);
    hashed = false;
  }

  /**
   * Replaces the global leaf's content.
   *
   * @param global the record
   * @throws StateStoreException BATCH_CLOSED
   */
  public void setGlobal(GlobalV2 global) {
    Objects.requireNonNull(global, "global");
    checkOpen();
    changes.global = global;
    hashed = false;
  }

  /**
   * An account as this batch leaves it.
   *
   * @param id account id in [0, 2^24)
   * @return the record, or null if the slot is empty
   * @throws StateStoreException INDEX_OUT_OF_RANGE, BATCH_CLOSED
   */
  public AccountV2 account(long id) {
    checkOpen();
    StateStoreV2.checkAccount(id);
    AccountV2 a = changes.accounts.get(id);
    return a != null ? a : kv.get(SchemaV2.ACCOUNTS, id).orElse(null);
  }

  /**
   * The roots this batch would commit (hashes the pending changes).
   *
   * @return the roots
   * @throws StateStoreException BATCH_CLOSED
   */
  public StateRootsV2 roots() {
    checkOpen();
    StateRootsV2 r = store.hashBatch(changes);
    hashed = true;
    return r;
  }

  /**
   * The fill leaf of a slot as this batch leaves it.
   *
   * @param account account id in [0, 2^24)
   * @param slot slot in [0, 2^12)
   * @return the record, or null if the slot is empty
   * @throws StateStoreException INDEX_OUT_OF_RANGE, BATCH_CLOSED
   */
  public FillV2 fill(long account, int slot) {
    checkOpen();
    StateStoreV2.checkAccount(account);
    StateStoreV2.checkSlot(slot);
    long key = SchemaV2.fillKey(account, slot);
    FillV2 f = changes.fills.get(key);
    return f != null ? f : kv.get(SchemaV2.FILLS, key).orElse(null);
  }

  /**
   * A market as this batch leaves it.
   *
   * @param id market id in [0, 64)
   * @return the record, or null if the market is not listed
   * @throws StateStoreException INDEX_OUT_OF_RANGE, BATCH_CLOSED
   */
  public MarketV2 market(int id) {
    checkOpen();
    StateStoreV2.checkMarket(id);
    MarketV2 m = changes.markets.get(id);
    return m != null ? m : kv.get(SchemaV2.MARKETS, (long) id).orElse(null);
  }

  /**
   * The global leaf's content as this batch leaves it.
   *
   * @return the record
   * @throws StateStoreException BATCH_CLOSED
   */
  public GlobalV2 global() {
    checkOpen();
    return changes.global != null ? changes.global : store.latestGlobal();
  }

  // ------------------------------------------------------------------ witness mode

  /** Hashes the batched-mode changes not hashed yet, so the engine holds the batch's state. */
  private StateRootsV2 current() {
    if (!hashed) {
      store.hashBatch(changes);
      hashed = true;
    }
    return StateRootsV2.of(
        engine.root(SchemaV2.ACCOUNTS_TREE, 0),
        engine.root(SchemaV2.MARKETS_TREE, 0),
        global().leafHash());
  }

  private static long[] limbs(Fr leaf) {
    long[] l = new long[4];
    leaf.toMontgomery(l, 0);
    return l;
  }

  /**
   * Witness mode: writes one fill leaf of an existing account, then the account's fields, and
   * returns both paths (the fill's in the account's fills tree, taken before the update; the
   * account's in the accounts tree, taken after the fill's update changed its fills root) with the
   * roots before and after. This is the opening a trade step makes for each of its two accounts.
   *
   * @param id an account that exists (committed or set in this batch)
   * @param after the account's new fields
   * @param fill the fill leaf to write at slot {@code fill.orderNonce() mod 2^12}; nonce ≥ 1
   * @return the update's witness
   * @throws StateStoreException INDEX_OUT_OF_RANGE (account or nonce 0), ACCOUNT_NOT_FOUND,
   *     BATCH_CLOSED (nothing changed)
   */
  public AccountUpdateV2 updateAccount(long id, AccountV2 after, FillV2 fill) {
    Objects.requireNonNull(after, "after");
    Objects.requireNonNull(fill, "fill");
    checkOpen();
    StateStoreV2.checkAccount(id);
    if (fill.orderNonce() == 0) {
      throw new StateStoreException(
          StateError.INDEX_OUT_OF_RANGE, "order nonce 0: fill nonces start at 1");
    }
    AccountV2 before = account(id);
    if (before == null) {
      throw new StateStoreException(
          StateError.ACCOUNT_NOT_FOUND, "account " + id + " does not exist");
    }
    FillV2 fillBefore = fill(id, fill.slot());
    StateRootsV2 rootsBefore = current();
    PathWitness fillPath =
        engine.updateLeaf(SchemaV2.FILLS_TREE, (int) id, fill.slot(), limbs(fill.leafHash()), 0);
    PathWitness accountPath =
        engine.updateLeaf(
            SchemaV2.ACCOUNTS_TREE, 0, id, limbs(after.leafHash(fillPath.newRoot())), 0);
    changes.fills.put(SchemaV2.fillKey(id, fill.slot()), fill);
    changes.accounts.put(id, after);
    StateRootsV2 rootsAfter =
        StateRootsV2.of(accountPath.newRoot(), rootsBefore.marketsRoot(), rootsBefore.globalLeaf());
    return new AccountUpdateV2(
        id, before, after, fillBefore, fill, fillPath, accountPath, rootsBefore, rootsAfter);
  }

  /**
   * Witness mode: writes an account leaf without touching its fills — creating the account in an
   * empty slot, or replacing its fields — and returns its 24-level path (taken on the state the
   * batch holds at the call) with the roots before and after. This is the opening a collateral step
   * makes for each account it credits or debits.
   *
   * @param id account id in [0, 2^24)
   * @param after the account's new fields
   * @return the update's witness
   * @throws StateStoreException INDEX_OUT_OF_RANGE, BATCH_CLOSED (nothing changed)
   */
  public AccountLeafUpdateV2 updateAccountLeaf(long id, AccountV2 after) {
    Objects.requireNonNull(after, "after");
    checkOpen();
    StateStoreV2.checkAccount(id);
    AccountV2 before = account(id);
    StateRootsV2 rootsBefore = current();
    Fr fillsRoot = engine.root(SchemaV2.FILLS_TREE, (int) id);
    PathWitness path =
        engine.updateLeaf(SchemaV2.ACCOUNTS_TREE, 0, id, limbs(after.leafHash(fillsRoot)), 0);
    changes.accounts.put(id, after);
    StateRootsV2 rootsAfter =
        StateRootsV2.of(path.newRoot(), rootsBefore.marketsRoot(), rootsBefore.globalLeaf());
    return new AccountLeafUpdateV2(id, before, after, fillsRoot, path, rootsBefore, rootsAfter);
  }

  /**
   * Witness mode: updates a listed market and returns its 6-level path with the roots before and
   * after.
   *
   * @param id a listed market (committed or set in this batch)
   * @param after the market's new fields
   * @return the update's witness
   * @throws StateStoreException INDEX_OUT_OF_RANGE, MARKET_NOT_FOUND, BATCH_CLOSED (nothing
   *     changed)
   */
  public MarketUpdateV2 updateMarket(int id, MarketV2 after) {
    Objects.requireNonNull(after, "after");
    checkOpen();
    StateStoreV2.checkMarket(id);
    MarketV2 before = market(id);
    if (before == null) {
      throw new StateStoreException(StateError.MARKET_NOT_FOUND, "market " + id + " is not listed");
    }
    StateRootsV2 rootsBefore = current();
    PathWitness path = engine.updateLeaf(SchemaV2.MARKETS_TREE, 0, id, limbs(after.leafHash()), 0);
    changes.markets.put(id, after);
    StateRootsV2 rootsAfter =
        StateRootsV2.of(rootsBefore.accountsRoot(), path.newRoot(), rootsBefore.globalLeaf());
    return new MarketUpdateV2(id, before, after, path, rootsBefore, rootsAfter);
  }

  /**
   * Witness mode: replaces the global leaf's content and returns its fields before and after with
   * the roots before and after.
   *
   * @param after the new content
   * @return the update's witness
   * @throws StateStoreException BATCH_CLOSED
   */
  public GlobalUpdateV2 updateGlobal(GlobalV2 after) {
    Objects.requireNonNull(after, "after");
    checkOpen();
    GlobalV2 before = global();
    StateRootsV2 rootsBefore = current();
    changes.global = after;
    StateRootsV2 rootsAfter =
        StateRootsV2.of(rootsBefore.accountsRoot(), rootsBefore.marketsRoot(), after.leafHash());
    return new GlobalUpdateV2(before, after, rootsBefore, rootsAfter);
  }

  /**
   * Writes the batch as version {@link #version} in one fsynced RocksDB write and ends it.
   *
   * @return the new roots
   * @throws StateStoreException BATCH_CLOSED, STORAGE_FAILURE (nothing written)
   */
  public StateRootsV2 commit() {
    checkOpen();
    ended = true;
    try {
      return store.commit(this, changes);
    } finally {
      store.ended(this);
    }
  }

  /** Discards the batch. Idempotent. */
  public void abort() {
    ended = true;
    store.ended(this);
  }

  private void checkOpen() {
    if (ended) {
      throw new StateStoreException(
          StateError.BATCH_CLOSED, "the batch of version " + version + " has ended");
    }
  }
}
