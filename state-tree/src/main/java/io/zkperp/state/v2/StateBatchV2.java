package io.zkperp.state.v2;

import io.zkperp.protocol.state.v2.AccountV2;
import io.zkperp.protocol.state.v2.FillV2;
import io.zkperp.protocol.state.v2.GlobalV2;
import io.zkperp.protocol.state.v2.MarketV2;
import io.zkperp.state.StateError;
import io.zkperp.state.StateStoreException;
import io.zkperp.state.kv.KvStore;
import java.util.Objects;

/**
 * The updates of one version of a {@link StateStoreV2}: records are set now and hashed when {@link
 * #roots} or {@link #commit} is called (each changed leaf once, each dirty node once). A refused
 * update throws a {@link StateStoreException} and changes nothing; the batch stays usable.
 *
 * <p>Writer thread only.
 */
public final class StateBatchV2 {
  private final StateStoreV2 store;
  private final KvStore kv;
  private final long version;
  private final StateStoreV2.Changes changes = new StateStoreV2.Changes();
  private boolean ended;

  StateBatchV2(StateStoreV2 store, KvStore kv, long version) {
    this.store = store;
    this.kv = kv;
    this.version = version;
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
    return store.hashBatch(changes);
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
