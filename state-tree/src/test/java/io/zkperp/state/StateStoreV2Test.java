package io.zkperp.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.protocol.state.v2.AccountIdentity;
import io.zkperp.protocol.state.v2.AccountV2;
import io.zkperp.protocol.state.v2.FeeTier;
import io.zkperp.protocol.state.v2.FeeTiers;
import io.zkperp.protocol.state.v2.FillV2;
import io.zkperp.protocol.state.v2.GlobalV2;
import io.zkperp.protocol.state.v2.LayoutV2;
import io.zkperp.protocol.state.v2.MarketRiskV2;
import io.zkperp.protocol.state.v2.MarketV2;
import io.zkperp.protocol.state.v2.OracleSigner;
import io.zkperp.protocol.state.v2.OracleSignerSet;
import io.zkperp.protocol.state.v2.PositionEntry;
import io.zkperp.protocol.state.v2.PositionList;
import io.zkperp.protocol.vectors.TestVectors;
import io.zkperp.state.kv.KvColumn;
import io.zkperp.state.kv.KvSerializer;
import io.zkperp.state.kv.KvStore;
import io.zkperp.state.kv.KvStoreConfig;
import io.zkperp.state.kv.KvTransaction;
import io.zkperp.state.smt.NodeKeys;
import io.zkperp.state.v2.ProofsV2;
import io.zkperp.state.v2.StateBatchV2;
import io.zkperp.state.v2.StateRootsV2;
import io.zkperp.state.v2.StateStoreV2;
import io.zkperp.state.v2.StateViewV2;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link StateStoreV2} on real RocksDB against the Go-generated {@code state-v2.json} and a naive
 * model that recomputes every root from the protocol's v2 records ({@link NaiveTree}).
 */
class StateStoreV2Test {
  private static final JsonNode V = TestVectors.load("state-v2.json");
  private static final long FUND = LayoutV2.INSURANCE_FUND_ACCOUNT;

  @TempDir Path dir;

  private static Fr fr(JsonNode n) {
    return Fr.fromHex(n.asText());
  }

  private static long num(JsonNode n) {
    return new BigInteger(n.asText()).longValue();
  }

  private static List<Fr> frs(JsonNode n) {
    List<Fr> out = new ArrayList<>();
    n.forEach(e -> out.add(fr(e)));
    return out;
  }

  private static MarketV2 market(JsonNode m) {
    JsonNode r = m.get("risk");
    String[] f = {
      "initialMarginPpm", "maintenanceMarginPpm", "baselinePositionSize", "incrementalPositionSize",
      "incrementalInitialMarginPpm", "maxPositionSize", "openInterestCap", "oracleMaxAgeSeconds",
      "oracleMaxFutureSeconds", "oracleMaxMovePpm", "fundingMinIntervalSeconds", "fundingMaxRatePpm"
    };
    long[] v = new long[f.length];
    for (int i = 0; i < f.length; i++) {
      v[i] = num(r.get(f[i]));
    }
    MarketRiskV2 risk =
        new MarketRiskV2(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11]);
    return new MarketV2(
        num(m.get("oraclePrice")),
        num(m.get("oracleTimestamp")),
        num(m.get("fundingIndex")),
        num(m.get("fundingTimestamp")),
        num(m.get("openInterest")),
        risk);
  }

  /** The global record of a state: signer set and tiers looked up by their roots in the vectors. */
  private static GlobalV2 global(JsonNode g) {
    OracleSignerSet signers = null;
    for (JsonNode s : V.get("oracleSignerSets")) {
      List<OracleSigner> slots = new ArrayList<>();
      s.get("slots")
          .forEach(x -> slots.add(new OracleSigner(fr(x.get("keyX")), fr(x.get("keyY")))));
      OracleSignerSet set = new OracleSignerSet(slots);
      if (set.root().equals(fr(g.get("oracleSignersRoot")))) {
        signers = set;
      }
    }
    FeeTiers tiers = null;
    for (JsonNode t : V.get("feeTiers")) {
      List<FeeTier> list = new ArrayList<>();
      t.get("tiers")
          .forEach(
              x -> list.add(new FeeTier(x.get("makerPpm").asInt(), x.get("takerPpm").asInt())));
      if (fr(t.get("hash")).equals(fr(g.get("feeTiersRoot")))) {
        tiers = new FeeTiers(list);
      }
    }
    assertThat(signers).as("signer set of root %s", g.get("oracleSignersRoot")).isNotNull();
    assertThat(tiers).as("fee tiers of hash %s", g.get("feeTiersRoot")).isNotNull();
    return new GlobalV2(num(g.get("feeBalance")), signers, g.get("oracleQuorum").asInt(), tiers);
  }

  private static StateStoreOptions options(int kept) {
    return StateStoreOptions.DEFAULT.withKeptVersions(kept).withBlockCacheBytes(8 << 20);
  }

  // ------------------------------------------------------------------ vectors

  @Test
  void genesisIsTheVectorsGenesis() {
    JsonNode g = V.get("states").get(0);
    assertThat(g.get("name").asText()).isEqualTo("genesis");
    try (StateStoreV2 s = StateStoreV2.open(dir, options(4));
        StateViewV2 view = s.view()) {
      assertThat(s.version()).isZero();
      assertThat(s.roots().stateRoot()).isEqualTo(fr(g.get("root")));
      assertThat(s.roots().accountsRoot()).isEqualTo(fr(g.get("accountsRoot")));
      assertThat(s.roots().marketsRoot()).isEqualTo(fr(g.get("marketsRoot")));
      assertThat(s.roots().globalLeaf()).isEqualTo(fr(g.get("global").get("hash")));
      assertThat(view.account(FUND)).isEqualTo(AccountV2.insuranceFundAtGenesis());
      assertThat(view.global()).isEqualTo(GlobalV2.GENESIS);
      JsonNode fund = g.get("accounts").get(0);
      assertThat(num(fund.get("id"))).isEqualTo(FUND);
      ProofsV2.AccountProof p = view.accountProof(FUND);
      assertThat(p.path().siblings()).isEqualTo(frs(fund.get("siblings")));
      assertThat(p.path().leaf()).isEqualTo(fr(fund.get("account").get("hash")));
      assertThat(p.verifies(s.roots().stateRoot())).isTrue();
      assertThat(view.marketProof(0).verifies(s.roots().stateRoot())).isTrue();
      assertThat(view.globalProof().verifies(s.roots().stateRoot())).isTrue();
    }
  }

  private static AccountV2 account(JsonNode a) {
    JsonNode id = a.get("identity");
    List<PositionEntry> entries = new ArrayList<>();
    a.get("positions")
        .forEach(
            e ->
                entries.add(
                    new PositionEntry(
                        e.get("market").asInt(),
                        num(e.get("size")),
                        num(e.get("fundingSnapshot")))));
    return new AccountV2(
        new AccountIdentity(
            fr(id.get("publicKeyX")),
            fr(id.get("publicKeyY")),
            L1Address.fromHex(id.get("l1Owner").asText()),
            id.get("feeTier").asInt()),
        num(a.get("nonce")),
        num(a.get("collateral")),
        new PositionList(entries));
  }

  private static FillV2 fill(JsonNode f) {
    return new FillV2(num(f.get("orderNonce")), num(f.get("filledAmount")));
  }

  /** Writes a vector state (accounts with positions and fills, markets, global) as one batch. */
  private static StateRootsV2 writeState(StateStoreV2 s, JsonNode st) {
    StateBatchV2 b = s.beginBatch();
    for (JsonNode a : st.get("accounts")) {
      long id = num(a.get("id"));
      b.setAccount(id, account(a.get("account")));
      for (JsonNode f : a.get("fills")) {
        b.setFill(id, fill(f));
      }
    }
    for (JsonNode m : st.get("markets")) {
      b.setMarket((int) num(m.get("id")), market(m.get("market")));
    }
    b.setGlobal(global(st.get("global")));
    return b.commit();
  }

  /**
   * Every full state of the vectors, built through the RocksDB store from its records (accounts
   * with their position lists and fills, markets, global), has the vectors' accounts root, markets
   * root, global leaf and state root; every account, fill and market proof of the store verifies
   * against the vectors' root with the vectors' siblings.
   */
  @Test
  void vectorStatesBuiltThroughTheStoreHaveTheVectorsRoots() {
    List<String> names = new ArrayList<>();
    for (JsonNode st : V.get("states")) {
      String name = st.get("name").asText();
      names.add(name);
      Fr root = fr(st.get("root"));
      try (StateStoreV2 s = StateStoreV2.open(dir.resolve(name), options(4))) {
        StateRootsV2 r = writeState(s, st);
        assertThat(r.accountsRoot()).as(name).isEqualTo(fr(st.get("accountsRoot")));
        assertThat(r.marketsRoot()).as(name).isEqualTo(fr(st.get("marketsRoot")));
        assertThat(r.globalLeaf()).as(name).isEqualTo(fr(st.get("global").get("hash")));
        assertThat(r.stateRoot()).as(name).isEqualTo(root);
        try (StateViewV2 view = s.view()) {
          for (JsonNode a : st.get("accounts")) {
            long id = num(a.get("id"));
            JsonNode acc = a.get("account");
            ProofsV2.AccountProof p = view.accountProof(id);
            assertThat(p.account()).isEqualTo(account(acc));
            assertThat(p.fillsRoot()).as("%s %d", name, id).isEqualTo(fr(acc.get("fillsRoot")));
            assertThat(p.path().leaf()).isEqualTo(fr(acc.get("hash")));
            assertThat(p.path().siblings()).isEqualTo(frs(a.get("siblings")));
            assertThat(p.verifies(root)).as("%s account %d", name, id).isTrue();
            if (!name.equals("genesis")) { // nor against another state's root
              assertThat(p.verifies(fr(V.get("states").get(0).get("root")))).isFalse();
            }
            for (JsonNode f : a.get("fills")) {
              ProofsV2.FillProof fp = view.fillProof(id, (int) num(f.get("slot")));
              assertThat(fp.fill()).isEqualTo(fill(f));
              assertThat(fp.path().leaf()).isEqualTo(fr(f.get("hash")));
              assertThat(fp.verifies(root)).as("%s account %d fill %s", name, id, f).isTrue();
            }
          }
          for (JsonNode m : st.get("markets")) {
            ProofsV2.MarketProof p = view.marketProof((int) num(m.get("id")));
            assertThat(p.path().siblings()).isEqualTo(frs(m.get("siblings")));
            assertThat(p.verifies(root)).isTrue();
          }
          assertThat(view.globalProof().verifies(root)).isTrue();
        }
      }
    }
    assertThat(names).contains("genesis").hasSizeGreaterThan(1);
  }

  /** The vectors' standalone fills, all in one account, through the store's fill proofs. */
  @Test
  void vectorFillsThroughTheStore() {
    try (StateStoreV2 s = StateStoreV2.open(dir, options(8))) {
      StateBatchV2 b = s.beginBatch();
      AccountV2 trader = trader(new Random(7), 0);
      b.setAccount(5, trader);
      Map<Integer, FillV2> fills = new TreeMap<>();
      for (JsonNode f : V.get("fills")) {
        FillV2 fill = fill(f);
        assertThat(fill.slot()).isEqualTo((int) num(f.get("slot")));
        b.setFill(5, fill);
        fills.put(fill.slot(), fill);
      }
      StateRootsV2 r = b.commit();
      try (StateViewV2 view = s.view()) {
        NavigableMap<Long, Fr> leaves = NaiveTree.leaves();
        fills.forEach((slot, f) -> leaves.put((long) slot, f.leafHash()));
        assertThat(view.fillsRoot(5)).isEqualTo(NaiveTree.root(leaves, LayoutV2.FILLS_DEPTH));
        for (JsonNode f : V.get("fills")) {
          int slot = (int) num(f.get("slot"));
          ProofsV2.FillProof p = view.fillProof(5, slot);
          assertThat(p.verifies(r.stateRoot())).isTrue();
          if (p.fill().orderNonce() == num(f.get("orderNonce"))) { // the last fill of a slot wins
            assertThat(p.path().leaf()).isEqualTo(fr(f.get("hash")));
          }
        }
      }
    }
  }

  // ------------------------------------------------------------------ naive model

  /** The state as records only; roots recomputed from scratch with the protocol's v2 hashing. */
  private static final class Model {
    final TreeMap<Long, AccountV2> accounts = new TreeMap<>();
    final Map<Long, TreeMap<Integer, FillV2>> fills = new HashMap<>();
    final TreeMap<Integer, MarketV2> markets = new TreeMap<>();
    GlobalV2 global = GlobalV2.GENESIS;

    Model() {
      accounts.put(FUND, AccountV2.insuranceFundAtGenesis());
    }

    Model copy() {
      Model m = new Model();
      m.accounts.putAll(accounts);
      fills.forEach((k, v) -> m.fills.put(k, new TreeMap<>(v)));
      m.markets.putAll(markets);
      m.global = global;
      return m;
    }

    NavigableMap<Long, Fr> fillLeaves(long account) {
      NavigableMap<Long, Fr> l = NaiveTree.leaves();
      fills.getOrDefault(account, new TreeMap<>()).forEach((k, f) -> l.put((long) k, f.leafHash()));
      return l;
    }

    NavigableMap<Long, Fr> accountLeaves() {
      NavigableMap<Long, Fr> l = NaiveTree.leaves();
      accounts.forEach(
          (id, a) -> l.put(id, a.leafHash(NaiveTree.root(fillLeaves(id), LayoutV2.FILLS_DEPTH))));
      return l;
    }

    NavigableMap<Long, Fr> marketLeaves() {
      NavigableMap<Long, Fr> l = NaiveTree.leaves();
      markets.forEach((id, m) -> l.put((long) id, m.leafHash()));
      return l;
    }

    Fr root() {
      return LayoutV2.stateRoot(
          NaiveTree.root(accountLeaves(), LayoutV2.ACCOUNTS_DEPTH),
          NaiveTree.root(marketLeaves(), LayoutV2.MARKETS_DEPTH),
          global.leafHash());
    }
  }

  private static AccountV2 trader(Random rnd, int changes) {
    byte[] owner = new byte[20];
    rnd.nextBytes(owner);
    PositionList list = PositionList.EMPTY;
    for (int i = 0; i < changes; i++) {
      int market = rnd.nextInt(64);
      long size = rnd.nextInt(4) == 0 ? 0 : rnd.nextLong() % (1L << 55);
      if (list.openPositions() < LayoutV2.MAX_POSITIONS || list.find(market) >= 0) {
        list = list.with(market, size, rnd.nextLong());
      }
    }
    return new AccountV2(
        new AccountIdentity(
            Fr.fromUnsignedLong(rnd.nextLong()),
            Fr.fromUnsignedLong(rnd.nextLong()),
            L1Address.of(owner),
            rnd.nextInt(LayoutV2.FEE_TIERS)),
        rnd.nextLong(),
        rnd.nextLong(),
        list);
  }

  private static MarketV2 randomMarket(Random rnd) {
    return new MarketV2(
        rnd.nextLong(),
        rnd.nextLong(),
        rnd.nextLong(),
        rnd.nextLong(),
        rnd.nextLong(),
        new MarketRiskV2(
            rnd.nextLong(),
            rnd.nextLong(),
            rnd.nextLong(),
            rnd.nextLong(),
            rnd.nextLong(),
            rnd.nextLong(),
            rnd.nextLong(),
            rnd.nextLong(),
            rnd.nextLong(),
            rnd.nextLong(),
            rnd.nextLong(),
            rnd.nextLong()));
  }

  private static GlobalV2 randomGlobal(Random rnd) {
    List<OracleSigner> signers = new ArrayList<>();
    for (int i = 0; i < LayoutV2.ORACLE_SIGNER_SLOTS; i++) {
      signers.add(
          rnd.nextBoolean()
              ? OracleSigner.EMPTY
              : new OracleSigner(
                  Fr.fromUnsignedLong(rnd.nextLong()), Fr.fromUnsignedLong(rnd.nextLong())));
    }
    List<FeeTier> tiers = new ArrayList<>();
    for (int i = 0; i < LayoutV2.FEE_TIERS; i++) {
      tiers.add(
          new FeeTier(rnd.nextInt(2_000_001) - 1_000_000, rnd.nextInt(2_000_001) - 1_000_000));
    }
    return new GlobalV2(
        rnd.nextLong(), new OracleSignerSet(signers), rnd.nextInt(17), new FeeTiers(tiers));
  }

  /** Applies random updates to both the batch and the model; returns the touched keys. */
  private static void randomBatch(Random rnd, StateBatchV2 b, Model m, List<Long> ids, int n) {
    for (int i = 0; i < n; i++) {
      switch (rnd.nextInt(4)) {
        case 0 -> {
          long id =
              rnd.nextInt(5) == 0 || ids.isEmpty()
                  ? rnd.nextInt(1 << 24)
                  : ids.get(rnd.nextInt(ids.size()));
          AccountV2 a = trader(rnd, rnd.nextInt(12));
          b.setAccount(id, a);
          m.accounts.put(id, a);
          if (!ids.contains(id)) {
            ids.add(id);
          }
        }
        case 1 -> {
          List<Long> existing = new ArrayList<>(m.accounts.keySet());
          long id = existing.get(rnd.nextInt(existing.size()));
          FillV2 f = new FillV2(1 + (rnd.nextLong() >>> 1), rnd.nextLong());
          b.setFill(id, f);
          m.fills.computeIfAbsent(id, k -> new TreeMap<>()).put(f.slot(), f);
        }
        case 2 -> {
          int id = rnd.nextInt(64);
          MarketV2 mk = randomMarket(rnd);
          b.setMarket(id, mk);
          m.markets.put(id, mk);
        }
        default -> {
          if (rnd.nextInt(3) == 0) {
            GlobalV2 g = randomGlobal(rnd);
            b.setGlobal(g);
            m.global = g;
          }
        }
      }
    }
  }

  /** Every record and proof of the model's keys (and some empty slots) at a view. */
  private static void checkView(StateViewV2 view, Model m, Random rnd) {
    Fr root = view.roots().stateRoot();
    assertThat(root).isEqualTo(m.root());
    NavigableMap<Long, Fr> accountLeaves = m.accountLeaves();
    List<Long> ids = new ArrayList<>(m.accounts.keySet());
    ids.add((long) rnd.nextInt(1 << 24)); // most likely empty
    for (long id : ids) {
      ProofsV2.AccountProof p = view.accountProof(id);
      assertThat(p.account()).isEqualTo(m.accounts.get(id));
      assertThat(p.path().siblings())
          .isEqualTo(NaiveTree.siblings(accountLeaves, LayoutV2.ACCOUNTS_DEPTH, id));
      assertThat(p.verifies(root)).isTrue();
      if (p.account() != null) {
        NavigableMap<Long, Fr> fl = m.fillLeaves(id);
        List<Integer> slots = new ArrayList<>(m.fills.getOrDefault(id, new TreeMap<>()).keySet());
        slots.add(rnd.nextInt(1 << 12));
        for (int slot : slots) {
          ProofsV2.FillProof fp = view.fillProof(id, slot);
          assertThat(fp.fill()).isEqualTo(m.fills.getOrDefault(id, new TreeMap<>()).get(slot));
          assertThat(fp.path().siblings())
              .isEqualTo(NaiveTree.siblings(fl, LayoutV2.FILLS_DEPTH, slot));
          assertThat(fp.verifies(root)).isTrue();
        }
      }
    }
    NavigableMap<Long, Fr> ml = m.marketLeaves();
    for (int id = 0; id < 64; id += 1 + rnd.nextInt(8)) {
      ProofsV2.MarketProof p = view.marketProof(id);
      assertThat(p.market()).isEqualTo(m.markets.get(id));
      assertThat(p.path().siblings()).isEqualTo(NaiveTree.siblings(ml, LayoutV2.MARKETS_DEPTH, id));
      assertThat(p.verifies(root)).isTrue();
    }
    assertThat(view.global()).isEqualTo(m.global);
    assertThat(view.globalProof().verifies(root)).isTrue();
    assertThat(view.globalProof().verifies(Fr.ONE)).isFalse();
  }

  @Test
  void randomBatchesEqualTheNaiveModelWithRollbackAndReopen() {
    Random rnd = new Random(20261207L);
    List<Model> models = new ArrayList<>();
    models.add(new Model());
    List<Long> ids = new ArrayList<>();
    int kept = 5;
    try (StateStoreV2 s = StateStoreV2.open(dir, options(kept))) {
      for (int v = 1; v <= 8; v++) {
        Model m = models.get(v - 1).copy();
        StateBatchV2 b = s.beginBatch();
        randomBatch(rnd, b, m, ids, 12);
        assertThat(b.roots().stateRoot()).isEqualTo(m.root()); // mid-batch
        StateRootsV2 r = b.commit();
        assertThat(r.stateRoot()).isEqualTo(m.root());
        assertThat(r.isConsistent()).isTrue();
        models.add(m);
      }
      assertThat(s.oldestVersion()).isEqualTo(8 - kept + 1);
      // every kept version reads as its model, with verifying proofs
      for (long v = s.oldestVersion(); v <= s.version(); v++) {
        try (StateViewV2 view = s.view(v)) {
          checkView(view, models.get((int) v), rnd);
        }
      }
      long pruned = s.oldestVersion() - 1;
      assertThatThrownBy(() -> s.view(pruned))
          .isInstanceOfSatisfying(
              StateStoreException.class,
              e -> assertThat(e.error()).isEqualTo(StateError.VERSION_NOT_KEPT));

      // a view taken before the rollback keeps seeing its version
      StateViewV2 before = s.view();
      s.rollback(5);
      assertThat(s.version()).isEqualTo(5);
      assertThat(s.roots().stateRoot()).isEqualTo(models.get(5).root());
      try (StateViewV2 view = s.view()) {
        checkView(view, models.get(5), rnd);
      }
      checkView(before, models.get(8), rnd);
      before.close();
      while (models.size() > 6) {
        models.remove(models.size() - 1);
      }
      // continue after the rollback
      for (int v = 6; v <= 7; v++) {
        Model m = models.get(v - 1).copy();
        StateBatchV2 b = s.beginBatch();
        randomBatch(rnd, b, m, ids, 10);
        assertThat(b.commit().stateRoot()).isEqualTo(m.root());
        models.add(m);
      }
    }
    // reopen: same version, roots, records and proofs, also of older kept versions
    try (StateStoreV2 s = StateStoreV2.open(dir, options(kept))) {
      assertThat(s.version()).isEqualTo(7);
      assertThat(s.roots().stateRoot()).isEqualTo(models.get(7).root());
      for (long v = s.oldestVersion(); v <= 7; v++) {
        try (StateViewV2 view = s.view(v)) {
          checkView(view, models.get((int) v), rnd);
        }
      }
      s.rollback(s.oldestVersion());
      Model m = models.get((int) s.oldestVersion()).copy();
      StateBatchV2 b = s.beginBatch();
      randomBatch(rnd, b, m, ids, 10);
      assertThat(b.commit().stateRoot()).isEqualTo(m.root());
    }
  }

  // ------------------------------------------------------------------ layout marker and errors

  @Test
  void aV2StoreRefusesAV1DatabaseAndTheReverse() throws Exception {
    Path v1 = dir.resolve("v1");
    Path v2 = dir.resolve("v2");
    Fr v1Root;
    try (RollupStateStore s = RollupStateStore.open(v1, options(4))) {
      v1Root = s.root();
    }
    try (StateStoreV2 s = StateStoreV2.open(v2, options(4))) {
      StateBatchV2 b = s.beginBatch();
      b.setAccount(3, trader(new Random(1), 3));
      b.commit();
    }
    Fr v2Root;
    try (StateStoreV2 s = StateStoreV2.open(v2, options(4))) {
      v2Root = s.roots().stateRoot();
    }
    byte[][] v1Files = StateErrorsTest.snapshotFiles(v1);
    byte[][] v2Files = StateErrorsTest.snapshotFiles(v2);
    assertThatThrownBy(() -> StateStoreV2.open(v1, options(4)))
        .isInstanceOfSatisfying(
            StateLayoutMismatchException.class,
            e -> {
              assertThat(e.error()).isEqualTo(StateError.LAYOUT_MISMATCH);
              assertThat(e.field()).isEqualTo("layout.version");
              assertThat(e.stored()).isEqualTo(1);
              assertThat(e.expected()).isEqualTo(2);
              assertThat(e.getMessage()).contains("= 1").contains("uses 2");
            });
    assertThatThrownBy(() -> RollupStateStore.open(v2, options(4)))
        .isInstanceOfSatisfying(
            StateLayoutMismatchException.class,
            e -> {
              assertThat(e.stored()).isEqualTo(2);
              assertThat(e.expected()).isEqualTo(1);
              assertThat(e.getMessage()).contains("= 2").contains("uses 1");
            });
    // both databases are untouched (byte for byte) and still open in their own layout
    assertThat(StateErrorsTest.snapshotFiles(v1)).isDeepEqualTo(v1Files);
    assertThat(StateErrorsTest.snapshotFiles(v2)).isDeepEqualTo(v2Files);
    try (RollupStateStore s = RollupStateStore.open(v1, options(4))) {
      assertThat(s.root()).isEqualTo(v1Root);
    }
    try (StateStoreV2 s = StateStoreV2.open(v2, options(4))) {
      assertThat(s.roots().stateRoot()).isEqualTo(v2Root);
      assertThat(s.version()).isEqualTo(1);
    }
  }

  @Test
  void badInputIsRefusedWithATypedErrorAndChangesNothing() {
    try (StateStoreV2 s = StateStoreV2.open(dir, options(4))) {
      Fr genesis = s.roots().stateRoot();
      StateBatchV2 b = s.beginBatch();
      AccountV2 a = trader(new Random(3), 2);
      assertError(() -> b.setAccount(1L << 24, a), StateError.INDEX_OUT_OF_RANGE);
      assertError(() -> b.setAccount(-1, a), StateError.INDEX_OUT_OF_RANGE);
      assertError(
          () -> b.setMarket(64, randomMarket(new Random(1))), StateError.INDEX_OUT_OF_RANGE);
      assertError(() -> b.setFill(9, new FillV2(1, 1)), StateError.ACCOUNT_NOT_FOUND);
      assertError(() -> b.setFill(FUND, new FillV2(0, 1)), StateError.INDEX_OUT_OF_RANGE);
      assertError(s::beginBatch, StateError.BATCH_ALREADY_OPEN);
      assertError(() -> s.rollback(0), StateError.BATCH_ALREADY_OPEN);
      assertThat(b.roots().stateRoot()).isEqualTo(genesis);
      b.setAccount(9, a);
      b.setFill(9, new FillV2(4097, 5)); // the batch stays usable
      assertThat(b.commit().stateRoot()).isNotEqualTo(genesis);
      assertError(b::roots, StateError.BATCH_CLOSED);
      assertError(() -> s.rollback(2), StateError.VERSION_NOT_KEPT);
      try (StateViewV2 view = s.view()) {
        assertError(() -> view.fillProof(10, 1), StateError.ACCOUNT_NOT_FOUND);
        assertError(() -> view.fill(9, 4096), StateError.INDEX_OUT_OF_RANGE);
        assertThat(view.fill(9, 1)).isEqualTo(new FillV2(4097, 5));
      }
      assertThat(s.version()).isEqualTo(1);
    }
  }

  @Test
  void damagedRecordsAndTreesAreCorruptedData() {
    try (StateStoreV2 s = StateStoreV2.open(dir, options(4))) {
      StateBatchV2 b = s.beginBatch();
      b.setAccount(7, trader(new Random(9), 4));
      b.commit();
    }
    KvColumn<Long, byte[]> accounts =
        KvColumn.of("accounts", 2, KvSerializer.int64(), KvSerializer.raw());
    KvColumn<Long, byte[]> nodes =
        KvColumn.of("nodes", 1, KvSerializer.int64(), KvSerializer.raw());
    try (KvStore kv = KvStore.open(dir, List.of(accounts, nodes), KvStoreConfig.DEFAULT);
        KvTransaction tx = kv.beginTransaction()) {
      tx.put(accounts, 7L, new byte[] {1, 2, 3});
      tx.commit();
    }
    try (StateStoreV2 s = StateStoreV2.open(dir, options(4));
        StateViewV2 view = s.view()) {
      assertError(() -> view.account(7), StateError.CORRUPTED_DATA);
      assertThat(view.account(LayoutV2.INSURANCE_FUND_ACCOUNT))
          .isEqualTo(AccountV2.insuranceFundAtGenesis());
    }
    // the accounts tree's root node no longer hashes to the recorded root
    try (KvStore kv = KvStore.open(dir, List.of(accounts, nodes), KvStoreConfig.DEFAULT);
        KvTransaction tx = kv.beginTransaction()) {
      tx.put(nodes, NodeKeys.key(0, 0, LayoutV2.ACCOUNTS_DEPTH, 0), Fr.ONE.toBytes());
      tx.commit();
    }
    assertError(() -> StateStoreV2.open(dir, options(4)).close(), StateError.CORRUPTED_DATA);
  }

  private static void assertError(Runnable r, StateError error) {
    assertThatThrownBy(r::run)
        .isInstanceOfSatisfying(
            StateStoreException.class, e -> assertThat(e.error()).isEqualTo(error));
  }
}
