package io.zkperp.state;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.hash.Poseidon2;
import io.zkperp.protocol.state.Account;
import io.zkperp.protocol.state.Fill;
import io.zkperp.protocol.state.GlobalState;
import io.zkperp.protocol.state.Position;
import io.zkperp.protocol.state.StateLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An incremental reference for long runs (the crash test): records in a {@link NaiveState}, tree
 * nodes in hash maps keyed by strings, each changed leaf's path recomputed with the protocol's
 * {@link Poseidon2#compress} on {@link Fr}. Independent of the store's code; checked against the
 * fully naive recomputation in the crash test.
 */
final class ReferenceModel {
  final NaiveState records = new NaiveState();
  private final Map<String, Fr> nodes = new HashMap<>();
  long version;
  final List<Fr> roots = new ArrayList<>(List.of(StateRoots.GENESIS.stateRoot()));

  private Fr node(String tree, int h, long index) {
    Fr f = nodes.get(tree + "/" + h + "/" + index);
    return f == null ? NaiveTree.empty(h) : f;
  }

  private void setLeaf(String tree, int depth, long index, Fr leaf) {
    nodes.put(tree + "/0/" + index, leaf);
    Fr acc = leaf;
    for (int h = 0; h < depth; h++) {
      Fr sib = node(tree, h, (index >>> h) ^ 1);
      acc = ((index >>> h) & 1) == 0 ? Poseidon2.compress(acc, sib) : Poseidon2.compress(sib, acc);
      nodes.put(tree + "/" + (h + 1) + "/" + (index >>> (h + 1)), acc);
    }
  }

  Fr root(String tree, int depth) {
    return node(tree, depth, 0);
  }

  /** Applies one batch (refusing nothing: the workload only addresses existing accounts). */
  void apply(List<StatePropertiesTest.Op> ops) {
    Set<Integer> accounts = new LinkedHashSet<>();
    Set<Long> positions = new LinkedHashSet<>();
    Set<Long> fills = new LinkedHashSet<>();
    Set<Integer> markets = new LinkedHashSet<>();
    for (StatePropertiesTest.Op op : ops) {
      switch (op) {
        case StatePropertiesTest.SetAccount o -> {
          records.setAccount(o.id(), TestData.account(o.seed()));
          accounts.add(o.id());
        }
        case StatePropertiesTest.SetPosition o -> {
          if (!records.setPosition(o.account(), o.market(), new Position(o.size(), o.snapshot()))) {
            throw new IllegalStateException("workload addressed a missing account");
          }
          accounts.add(o.account());
          positions.add(((long) o.account() << 32) | o.market());
        }
        case StatePropertiesTest.SetFill o -> {
          Fill f = new Fill(o.nonce(), o.filled());
          if (!records.setFill(o.account(), f)) {
            throw new IllegalStateException("workload addressed a missing account");
          }
          accounts.add(o.account());
          fills.add(((long) o.account() << 32) | f.slot());
        }
        case StatePropertiesTest.SetMarket o -> {
          records.setMarket(o.id(), TestData.market(o.seed()));
          markets.add(o.id());
        }
        case StatePropertiesTest.SetGlobal o ->
            records.setGlobal(new GlobalState(o.insurance(), o.fees()));
      }
    }
    for (long k : positions) {
      int a = (int) (k >>> 32);
      int m = (int) k;
      setLeaf("p" + a, StateLayout.POSITIONS_DEPTH, m, records.position(a, m).leafHash());
    }
    for (long k : fills) {
      int a = (int) (k >>> 32);
      int s = (int) k;
      setLeaf("f" + a, StateLayout.FILLS_DEPTH, s, records.fill(a, s).leafHash());
    }
    for (int a : accounts) {
      Account acc = records.accounts.get(a);
      setLeaf(
          "a",
          StateLayout.ACCOUNTS_DEPTH,
          a,
          acc.leafHash(
              root("p" + a, StateLayout.POSITIONS_DEPTH), root("f" + a, StateLayout.FILLS_DEPTH)));
    }
    for (int m : markets) {
      setLeaf("m", StateLayout.MARKETS_DEPTH, m, records.markets.get(m).leafHash());
    }
    version++;
    roots.add(stateRoot());
  }

  Fr stateRoot() {
    return Poseidon2.hash(
        StateLayout.TAG_STATE,
        root("a", StateLayout.ACCOUNTS_DEPTH),
        root("m", StateLayout.MARKETS_DEPTH),
        records.global.leafHash());
  }
}
