package io.zkperp.state;

import static io.zkperp.protocol.vectors.VectorChecks.account;
import static io.zkperp.protocol.vectors.VectorChecks.fr;
import static io.zkperp.protocol.vectors.VectorChecks.frs;
import static io.zkperp.protocol.vectors.VectorChecks.i64;
import static io.zkperp.protocol.vectors.VectorChecks.market;
import static io.zkperp.protocol.vectors.VectorChecks.risk;
import static io.zkperp.protocol.vectors.VectorChecks.u64;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.hash.Poseidon2;
import io.zkperp.protocol.state.Account;
import io.zkperp.protocol.state.Fill;
import io.zkperp.protocol.state.GlobalState;
import io.zkperp.protocol.state.MerkleProof;
import io.zkperp.protocol.state.Position;
import io.zkperp.protocol.state.StateLayout;
import io.zkperp.protocol.vectors.TestVectors;
import io.zkperp.state.smt.HashWorkers;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays test-vectors/state.json (generated from gnark-crypto by
 * prover-bridge/native/cmd/vectorgen) into real stores. The file is required: a missing file fails
 * the build.
 */
class StateVectorsTest {
  static JsonNode vectors;

  @BeforeAll
  static void load() {
    // TestVectors fails (never skips) when the file or directory is missing.
    vectors = TestVectors.load("state.json");
    assertThat(vectors.path("generator").path("layoutVersion").asInt())
        .isEqualTo(StateLayout.VERSION);
  }

  @Test
  void depthsTagsEmptyRootsAndGenesis() {
    JsonNode d = vectors.get("depths");
    assertThat(d.get("accounts").asInt()).isEqualTo(TreeKind.ACCOUNTS.depth());
    assertThat(d.get("positions").asInt()).isEqualTo(TreeKind.POSITIONS.depth());
    assertThat(d.get("fills").asInt()).isEqualTo(TreeKind.FILLS.depth());
    assertThat(d.get("markets").asInt()).isEqualTo(TreeKind.MARKETS.depth());
    JsonNode tags = vectors.get("tags");
    assertThat(fr(tags.get("account"))).isEqualTo(StateLayout.TAG_ACCOUNT);
    assertThat(fr(tags.get("position"))).isEqualTo(StateLayout.TAG_POSITION);
    assertThat(fr(tags.get("fill"))).isEqualTo(StateLayout.TAG_FILL);
    assertThat(fr(tags.get("market"))).isEqualTo(StateLayout.TAG_MARKET);
    assertThat(fr(tags.get("marketRisk"))).isEqualTo(StateLayout.TAG_MARKET_RISK);
    assertThat(fr(tags.get("global"))).isEqualTo(StateLayout.TAG_GLOBAL);
    assertThat(fr(tags.get("state"))).isEqualTo(StateLayout.TAG_STATE);
    JsonNode e = vectors.get("emptyRoots");
    assertThat(fr(e.get("accounts"))).isEqualTo(TreeKind.ACCOUNTS.emptyRoot());
    assertThat(fr(e.get("positions"))).isEqualTo(TreeKind.POSITIONS.emptyRoot());
    assertThat(fr(e.get("fills"))).isEqualTo(TreeKind.FILLS.emptyRoot());
    assertThat(fr(e.get("markets"))).isEqualTo(TreeKind.MARKETS.emptyRoot());
    Fr genesis = fr(vectors.get("genesisRoot"));
    assertThat(StateRoots.GENESIS.stateRoot()).isEqualTo(genesis);
    try (TestData.TempStore t = new TestData.TempStore()) {
      assertThat(t.store.root()).isEqualTo(genesis);
      try (StateView v = t.store.view()) {
        assertThat(v.positionsRoot(0)).isEqualTo(fr(e.get("positions")));
        assertThat(v.fillsRoot(0)).isEqualTo(fr(e.get("fills")));
      }
    }
  }

  static long[] limbs(Fr f) {
    long[] l = new long[4];
    f.toMontgomery(l, 0);
    return l;
  }

  /** Leaf hashes through the protocol records and through the store's limb hasher. */
  @Test
  void leafHashes() {
    LeafHasher hasher = new LeafHasher(new HashWorkers(1));
    int checked = 0;
    for (JsonNode leaf : vectors.get("leaves")) {
      JsonNode f = leaf.get("fields");
      Fr expected = fr(leaf.get("hash"));
      long[] out = new long[4];
      switch (leaf.get("kind").asText()) {
        case "account" -> {
          Account a = account(f);
          Fr pr = fr(f.get("positionsRoot"));
          Fr fl = fr(f.get("fillsRoot"));
          assertThat(a.leafHash(pr, fl)).isEqualTo(expected);
          hasher.account(a, limbs(pr), 0, limbs(fl), 0, out, 0);
        }
        case "position" -> {
          Position p = new Position(i64(f.get("size")), i64(f.get("fundingIndexSnapshot")));
          assertThat(p.leafHash()).isEqualTo(expected);
          hasher.position(p, out, 0);
        }
        case "fill" -> {
          Fill fill = new Fill(u64(f.get("orderNonce")), u64(f.get("filledAmount")));
          assertThat(fill.leafHash()).isEqualTo(expected);
          hasher.fill(fill, out, 0);
        }
        case "marketRisk" -> {
          assertThat(risk(f).hash()).isEqualTo(expected);
          expected.toMontgomery(out, 0);
        }
        case "market" -> {
          Fr h =
              Poseidon2.hash(
                  StateLayout.TAG_MARKET,
                  Fr.fromUnsignedLong(u64(f.get("oraclePrice"))),
                  Fr.fromUnsignedLong(u64(f.get("oracleTimestamp"))),
                  Fr.fromLong(i64(f.get("fundingIndex"))),
                  Fr.fromUnsignedLong(u64(f.get("fundingTimestamp"))),
                  Fr.fromUnsignedLong(u64(f.get("openInterest"))),
                  fr(f.get("riskHash")));
          assertThat(h).isEqualTo(expected);
          expected.toMontgomery(out, 0);
        }
        case "global" -> {
          GlobalState g = new GlobalState(i64(f.get("insuranceFund")), i64(f.get("feeBalance")));
          assertThat(g.leafHash()).isEqualTo(expected);
          hasher.global(g, out, 0);
        }
        default -> throw new AssertionError("unknown leaf kind " + leaf.get("kind"));
      }
      assertThat(Fr.fromMontgomery(out, 0)).as("limb hasher, %s", leaf).isEqualTo(expected);
      checked++;
    }
    assertThat(checked).isGreaterThan(10);
  }

  enum Mode {
    COMMIT_PER_STEP,
    ONE_BATCH_WITNESS,
    ONE_BATCH_BATCHED
  }

  @TestFactory
  Stream<DynamicTest> scenarios() {
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode scenario : vectors.get("scenarios")) {
      for (Mode mode : Mode.values()) {
        tests.add(
            DynamicTest.dynamicTest(
                scenario.get("name").asText() + " " + mode, () -> replay(scenario, mode)));
      }
    }
    assertThat(tests).hasSizeGreaterThanOrEqualTo(3 * 3);
    return tests.stream();
  }

  static UpdateWitness step(StateBatch b, JsonNode s, boolean witness) {
    switch (s.get("op").asText()) {
      case "setAccount" -> {
        int id = s.get("account").asInt();
        Account a = account(s);
        if (witness) {
          return b.setAccountWitnessed(id, a);
        }
        b.setAccount(id, a);
      }
      case "setPosition" -> {
        Position p = new Position(i64(s.get("size")), i64(s.get("fundingIndexSnapshot")));
        int a = s.get("account").asInt();
        int m = s.get("market").asInt();
        if (witness) {
          return b.setPositionWitnessed(a, m, p);
        }
        b.setPosition(a, m, p);
      }
      case "setFill" -> {
        Fill f = new Fill(u64(s.get("nonce")), u64(s.get("filledAmount")));
        int a = s.get("account").asInt();
        if (witness) {
          return b.setFillWitnessed(a, f);
        }
        b.setFill(a, f);
      }
      case "setMarket" -> {
        int m = s.get("market").asInt();
        if (witness) {
          return b.setMarketWitnessed(m, market(s));
        }
        b.setMarket(m, market(s));
      }
      case "setGlobal" -> {
        GlobalState g = new GlobalState(i64(s.get("insuranceFund")), i64(s.get("feeBalance")));
        if (witness) {
          return b.setGlobalWitnessed(g);
        }
        b.setGlobal(g);
      }
      default -> throw new AssertionError("unknown op " + s);
    }
    return null;
  }

  static void replay(JsonNode scenario, Mode mode) {
    JsonNode steps = scenario.get("steps");
    JsonNode roots = scenario.get("roots");
    assertThat(roots.size()).isEqualTo(steps.size());
    try (TestData.TempStore t = new TestData.TempStore()) {
      RollupStateStore store = t.store;
      switch (mode) {
        case COMMIT_PER_STEP -> {
          for (int i = 0; i < steps.size(); i++) {
            try (StateBatch b = store.beginBatch()) {
              step(b, steps.get(i), false);
              b.commit();
            }
            assertThat(store.root()).as("root after step %d", i).isEqualTo(fr(roots.get(i)));
          }
          // every intermediate version is kept (K = 64) and readable
          for (int i = 0; i < steps.size(); i++) {
            assertThat(store.roots(i + 1).stateRoot()).isEqualTo(fr(roots.get(i)));
          }
        }
        case ONE_BATCH_WITNESS, ONE_BATCH_BATCHED -> {
          boolean witness = mode == Mode.ONE_BATCH_WITNESS;
          try (StateBatch b = store.beginBatch()) {
            for (int i = 0; i < steps.size(); i++) {
              UpdateWitness w = step(b, steps.get(i), witness);
              if (witness) {
                assertThat(w.after().stateRoot())
                    .as("witness root %d", i)
                    .isEqualTo(fr(roots.get(i)));
                assertThat(w.isConsistent()).isTrue();
              } else {
                assertThat(b.root())
                    .as("pending root after step %d", i)
                    .isEqualTo(fr(roots.get(i)));
              }
            }
            b.commit();
          }
        }
      }
      JsonNode fin = scenario.get("final");
      StateRoots r = store.roots();
      assertThat(r.accountsRoot()).isEqualTo(fr(fin.get("accountsRoot")));
      assertThat(r.marketsRoot()).isEqualTo(fr(fin.get("marketsRoot")));
      assertThat(r.globalLeaf()).isEqualTo(fr(fin.get("globalLeaf")));
      assertThat(r.stateRoot()).isEqualTo(fr(fin.get("stateRoot")));
      assertThat(r.stateRoot()).isEqualTo(fr(roots.get(roots.size() - 1)));
      checkProofs(store, scenario.get("proofs"));
      store = t.reopen();
      assertThat(store.roots()).isEqualTo(r);
      checkProofs(store, scenario.get("proofs"));
    }
  }

  static void checkProofs(RollupStateStore store, JsonNode proofs) {
    Fr root = store.root();
    int n = 0;
    try (StateView v = store.view()) {
      for (JsonNode p : proofs) {
        Fr leaf = fr(p.get("leaf"));
        List<Fr> siblings = frs(p.get("siblings"));
        MerkleProof actual;
        switch (p.get("kind").asText()) {
          case "account" -> {
            AccountProof ap = v.accountProof(p.get("account").asInt());
            assertThat(ap.verifies(root)).isTrue();
            assertThat(ap.roots().accountsRoot()).isEqualTo(fr(p.get("accountsRoot")));
            actual = ap.proof();
          }
          case "position" -> {
            PositionProof pp = v.positionProof(p.get("account").asInt(), p.get("market").asInt());
            assertThat(pp.verifies(root)).isTrue();
            assertThat(pp.account().positionsRoot()).isEqualTo(fr(p.get("positionsRoot")));
            actual = pp.proof();
          }
          case "fill" -> {
            FillProof fp = v.fillProof(p.get("account").asInt(), p.get("slot").asInt());
            assertThat(fp.verifies(root)).isTrue();
            assertThat(fp.account().fillsRoot()).isEqualTo(fr(p.get("fillsRoot")));
            actual = fp.proof();
          }
          case "market" -> {
            MarketProof mp = v.marketProof(p.get("market").asInt());
            assertThat(mp.verifies(root)).isTrue();
            assertThat(mp.roots().marketsRoot()).isEqualTo(fr(p.get("marketsRoot")));
            actual = mp.proof();
          }
          default -> throw new AssertionError("unknown proof kind " + p);
        }
        assertThat(actual.leaf()).as("leaf of %s", p.get("kind")).isEqualTo(leaf);
        assertThat(actual.siblings()).as("siblings of %s", p.get("kind")).isEqualTo(siblings);
        n++;
      }
    }
    assertThat(n).isPositive();
  }
}
