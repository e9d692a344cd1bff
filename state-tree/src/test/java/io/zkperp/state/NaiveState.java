package io.zkperp.state;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.hash.Poseidon2;
import io.zkperp.protocol.state.Account;
import io.zkperp.protocol.state.Fill;
import io.zkperp.protocol.state.GlobalState;
import io.zkperp.protocol.state.Market;
import io.zkperp.protocol.state.Position;
import io.zkperp.protocol.state.StateLayout;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reference rollup state: plain maps of records; every root is recomputed from scratch with {@link
 * NaiveTree} and the protocol records' own {@code leafHash} methods.
 */
final class NaiveState {
  final TreeMap<Integer, Account> accounts = new TreeMap<>();
  final TreeMap<Integer, TreeMap<Integer, Position>> positions = new TreeMap<>();
  final TreeMap<Integer, TreeMap<Integer, Fill>> fills = new TreeMap<>();
  final TreeMap<Integer, Market> markets = new TreeMap<>();
  GlobalState global = GlobalState.GENESIS;

  NaiveState copy() {
    NaiveState c = new NaiveState();
    c.accounts.putAll(accounts);
    positions.forEach((k, v) -> c.positions.put(k, new TreeMap<>(v)));
    fills.forEach((k, v) -> c.fills.put(k, new TreeMap<>(v)));
    c.markets.putAll(markets);
    c.global = global;
    return c;
  }

  void setAccount(int id, Account a) {
    accounts.put(id, a);
  }

  /** Returns false (changing nothing) if the account does not exist. */
  boolean setPosition(int account, int market, Position p) {
    if (!accounts.containsKey(account)) {
      return false;
    }
    TreeMap<Integer, Position> m = positions.computeIfAbsent(account, k -> new TreeMap<>());
    if (p.isEmpty()) {
      m.remove(market);
    } else {
      m.put(market, p);
    }
    return true;
  }

  boolean setFill(int account, Fill f) {
    if (!accounts.containsKey(account)) {
      return false;
    }
    fills.computeIfAbsent(account, k -> new TreeMap<>()).put(f.slot(), f);
    return true;
  }

  void setMarket(int id, Market m) {
    markets.put(id, m);
  }

  void setGlobal(GlobalState g) {
    global = g;
  }

  Position position(int account, int market) {
    return positions.getOrDefault(account, new TreeMap<>()).getOrDefault(market, Position.NONE);
  }

  Fill fill(int account, int slot) {
    return fills.getOrDefault(account, new TreeMap<>()).get(slot);
  }

  TreeMap<Long, Fr> positionLeaves(int account) {
    TreeMap<Long, Fr> l = NaiveTree.leaves();
    for (Map.Entry<Integer, Position> e :
        positions.getOrDefault(account, new TreeMap<>()).entrySet()) {
      l.put((long) e.getKey(), e.getValue().leafHash());
    }
    return l;
  }

  TreeMap<Long, Fr> fillLeaves(int account) {
    TreeMap<Long, Fr> l = NaiveTree.leaves();
    for (Map.Entry<Integer, Fill> e : fills.getOrDefault(account, new TreeMap<>()).entrySet()) {
      l.put((long) e.getKey(), e.getValue().leafHash());
    }
    return l;
  }

  Fr positionsRoot(int account) {
    return NaiveTree.root(positionLeaves(account), StateLayout.POSITIONS_DEPTH);
  }

  Fr fillsRoot(int account) {
    return NaiveTree.root(fillLeaves(account), StateLayout.FILLS_DEPTH);
  }

  Fr accountLeaf(int id) {
    Account a = accounts.get(id);
    return a == null ? Fr.ZERO : a.leafHash(positionsRoot(id), fillsRoot(id));
  }

  TreeMap<Long, Fr> accountLeaves() {
    TreeMap<Long, Fr> l = NaiveTree.leaves();
    for (int id : accounts.keySet()) {
      l.put((long) id, accountLeaf(id));
    }
    return l;
  }

  TreeMap<Long, Fr> marketLeaves() {
    TreeMap<Long, Fr> l = NaiveTree.leaves();
    markets.forEach((k, v) -> l.put((long) k, v.leafHash()));
    return l;
  }

  Fr accountsRoot() {
    return NaiveTree.root(accountLeaves(), StateLayout.ACCOUNTS_DEPTH);
  }

  Fr marketsRoot() {
    return NaiveTree.root(marketLeaves(), StateLayout.MARKETS_DEPTH);
  }

  Fr stateRoot() {
    return Poseidon2.hash(StateLayout.TAG_STATE, accountsRoot(), marketsRoot(), global.leafHash());
  }

  List<Fr> accountSiblings(int id) {
    return NaiveTree.siblings(accountLeaves(), StateLayout.ACCOUNTS_DEPTH, id);
  }

  List<Fr> positionSiblings(int account, int market) {
    return NaiveTree.siblings(positionLeaves(account), StateLayout.POSITIONS_DEPTH, market);
  }

  List<Fr> fillSiblings(int account, int slot) {
    return NaiveTree.siblings(fillLeaves(account), StateLayout.FILLS_DEPTH, slot);
  }

  List<Fr> marketSiblings(int market) {
    return NaiveTree.siblings(marketLeaves(), StateLayout.MARKETS_DEPTH, market);
  }
}
