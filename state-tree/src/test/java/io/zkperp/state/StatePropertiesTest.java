package io.zkperp.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.Fill;
import io.zkperp.protocol.state.GlobalState;
import io.zkperp.protocol.state.Position;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Random update sequences across several batches, in witness, batched and mixed modes, against the
 * naive reference ({@link NaiveState}): (a) roots, (b) proofs and witnesses, (c) rollback.
 */
class StatePropertiesTest {
  static final int[] ACCOUNTS = {0, 1, 2, 7, 255, 256, 1 << 23, (1 << 24) - 1};
  static final int[] MARKETS = {0, 1, 5, 63};
  static final long[] NONCES = {1, 2, 65_537, 65_538, 131_073, Long.MIN_VALUE, -1};

  sealed interface Op {}

  record SetAccount(int id, long seed) implements Op {}

  record SetPosition(int account, int market, long size, long snapshot) implements Op {}

  record SetFill(int account, long nonce, long filled) implements Op {}

  record SetMarket(int id, long seed) implements Op {}

  record SetGlobal(long insurance, long fees) implements Op {}

  enum Mode {
    WITNESS,
    BATCHED,
    MIXED
  }

  record Step(Op op, boolean witnessed) {}

  record Batch(List<Step> steps, Mode mode, boolean readRootMidway) {}

  @Provide
  Arbitrary<List<Batch>> history() {
    return batch().list().ofMinSize(1).ofMaxSize(4);
  }

  Arbitrary<Batch> batch() {
    return Combinators.combine(
            step().list().ofMinSize(0).ofMaxSize(8),
            Arbitraries.of(Mode.class),
            Arbitraries.of(true, false))
        .as(Batch::new);
  }

  Arbitrary<Step> step() {
    return Combinators.combine(op(), Arbitraries.of(true, false)).as(Step::new);
  }

  Arbitrary<Op> op() {
    Arbitrary<Integer> account = Arbitraries.of(box(ACCOUNTS));
    Arbitrary<Integer> market = Arbitraries.of(box(MARKETS));
    Arbitrary<Long> anyLong = Arbitraries.longs();
    Arbitrary<Long> size =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(2, Arbitraries.just(0L)),
            net.jqwik.api.Tuple.of(5, Arbitraries.longs().between(-5, 5)),
            net.jqwik.api.Tuple.of(3, anyLong));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, Combinators.combine(account, anyLong).as(SetAccount::new)),
        net.jqwik.api.Tuple.of(
            4, Combinators.combine(account, market, size, anyLong).as(SetPosition::new)),
        net.jqwik.api.Tuple.of(
            3,
            Combinators.combine(
                    account,
                    Arbitraries.oneOf(
                        Arbitraries.of(box(NONCES)), Arbitraries.longs().filter(n -> n != 0)),
                    anyLong)
                .as(SetFill::new)),
        net.jqwik.api.Tuple.of(2, Combinators.combine(market, anyLong).as(SetMarket::new)),
        net.jqwik.api.Tuple.of(1, Combinators.combine(anyLong, anyLong).as(SetGlobal::new)));
  }

  private static Integer[] box(int[] a) {
    Integer[] b = new Integer[a.length];
    for (int i = 0; i < a.length; i++) {
      b[i] = a[i];
    }
    return b;
  }

  private static Long[] box(long[] a) {
    Long[] b = new Long[a.length];
    for (int i = 0; i < a.length; i++) {
      b[i] = a[i];
    }
    return b;
  }

  static boolean witnessed(Batch b, Step s) {
    return switch (b.mode()) {
      case WITNESS -> true;
      case BATCHED -> false;
      case MIXED -> s.witnessed();
    };
  }

  /**
   * Applies a step to the store batch and the reference. Returns the witness (null in batched mode
   * or when refused); asserts that refusals happen exactly for missing accounts.
   */
  static UpdateWitness apply(StateBatch b, NaiveState n, Step s, boolean witness, Set<Op> touched) {
    touched.add(s.op());
    switch (s.op()) {
      case SetAccount o -> {
        n.setAccount(o.id(), TestData.account(o.seed()));
        if (witness) {
          return b.setAccountWitnessed(o.id(), TestData.account(o.seed()));
        }
        b.setAccount(o.id(), TestData.account(o.seed()));
        return null;
      }
      case SetPosition o -> {
        Position p = new Position(o.size(), o.snapshot());
        boolean exists = n.setPosition(o.account(), o.market(), p);
        try {
          UpdateWitness w = null;
          if (witness) {
            w = b.setPositionWitnessed(o.account(), o.market(), p);
          } else {
            b.setPosition(o.account(), o.market(), p);
          }
          assertThat(exists).as("store accepted a position of a missing account").isTrue();
          return w;
        } catch (StateStoreException e) {
          assertThat(e.error()).isEqualTo(StateError.ACCOUNT_NOT_FOUND);
          assertThat(exists).isFalse();
          return null;
        }
      }
      case SetFill o -> {
        Fill f = new Fill(o.nonce(), o.filled());
        boolean exists = n.setFill(o.account(), f);
        try {
          UpdateWitness w = null;
          if (witness) {
            w = b.setFillWitnessed(o.account(), f);
          } else {
            b.setFill(o.account(), f);
          }
          assertThat(exists).isTrue();
          return w;
        } catch (StateStoreException e) {
          assertThat(e.error()).isEqualTo(StateError.ACCOUNT_NOT_FOUND);
          assertThat(exists).isFalse();
          return null;
        }
      }
      case SetMarket o -> {
        n.setMarket(o.id(), TestData.market(o.seed()));
        if (witness) {
          return b.setMarketWitnessed(o.id(), TestData.market(o.seed()));
        }
        b.setMarket(o.id(), TestData.market(o.seed()));
        return null;
      }
      case SetGlobal o -> {
        n.setGlobal(new GlobalState(o.insurance(), o.fees()));
        if (witness) {
          return b.setGlobalWitnessed(new GlobalState(o.insurance(), o.fees()));
        }
        b.setGlobal(new GlobalState(o.insurance(), o.fees()));
        return null;
      }
    }
  }

  /** Runs one batch; checks witnesses chain and are consistent when {@code checkWitnesses}. */
  static void runBatch(
      RollupStateStore store, NaiveState n, Batch batch, boolean checkWitnesses, Set<Op> touched) {
    try (StateBatch b = store.beginBatch()) {
      StateRoots last = store.roots();
      boolean lastKnown = true;
      for (int i = 0; i < batch.steps().size(); i++) {
        Step s = batch.steps().get(i);
        boolean witness = witnessed(batch, s);
        UpdateWitness w = apply(b, n, s, witness, touched);
        if (w != null) {
          assertThat(w.after().stateRoot()).isEqualTo(n.stateRoot());
          if (checkWitnesses) {
            assertThat(w.isConsistent()).as("witness of %s", s.op()).isTrue();
            if (lastKnown) {
              assertThat(w.before()).isEqualTo(last);
            }
          }
          last = w.after();
          lastKnown = true;
        } else if (witness) {
          continue; // refused: nothing changed
        } else {
          lastKnown = false;
        }
        if (batch.readRootMidway() && i == batch.steps().size() / 2) {
          assertThat(b.root()).isEqualTo(n.stateRoot());
          last = b.roots();
          lastKnown = true;
        }
      }
      assertThat(b.commit().stateRoot()).isEqualTo(n.stateRoot());
    }
  }

  // ---------------------------------------------------------------- (a) roots

  @Property(tries = 60)
  void rootsMatchTheNaiveReference(@ForAll("history") List<Batch> batches) {
    try (TestData.TempStore t = new TestData.TempStore()) {
      NaiveState n = new NaiveState();
      for (Batch batch : batches) {
        runBatch(t.store, n, batch, false, new LinkedHashSet<>());
        assertThat(t.store.root()).isEqualTo(n.stateRoot());
      }
      assertThat(t.store.version()).isEqualTo(batches.size());
      assertThat(t.reopen().root()).isEqualTo(n.stateRoot());
    }
  }

  // ---------------------------------------------------------------- (b) proofs and witnesses

  /** Every proof of every touched (and some empty) slot, checked against the reference. */
  static void checkProofs(StateView v, NaiveState n, Set<Op> touched) {
    Fr root = v.root();
    assertThat(root).isEqualTo(n.stateRoot());
    Set<Integer> accounts = new LinkedHashSet<>();
    accounts.add(3); // never touched: an empty slot
    for (Op op : touched) {
      switch (op) {
        case SetAccount o -> accounts.add(o.id());
        case SetPosition o -> {
          accounts.add(o.account());
          PositionProof p = v.positionProof(o.account(), o.market());
          assertThat(p.verifies(root)).isTrue();
          assertThat(p.position()).isEqualTo(n.position(o.account(), o.market()));
          assertThat(p.proof().siblings()).isEqualTo(n.positionSiblings(o.account(), o.market()));
        }
        case SetFill o -> {
          accounts.add(o.account());
          int slot = Fill.slotOf(o.nonce());
          FillProof p = v.fillProof(o.account(), slot);
          assertThat(p.verifies(root)).isTrue();
          assertThat(p.fill()).isEqualTo(n.fill(o.account(), slot));
          assertThat(p.proof().siblings()).isEqualTo(n.fillSiblings(o.account(), slot));
        }
        case SetMarket o -> {
          MarketProof p = v.marketProof(o.id());
          assertThat(p.verifies(root)).isTrue();
          assertThat(p.market()).isEqualTo(n.markets.get(o.id()));
          assertThat(p.proof().siblings()).isEqualTo(n.marketSiblings(o.id()));
        }
        case SetGlobal o -> {
          GlobalProof p = v.globalProof();
          assertThat(p.verifies(root)).isTrue();
          assertThat(p.global()).isEqualTo(n.global);
        }
      }
    }
    for (int a : accounts) {
      AccountProof p = v.accountProof(a);
      assertThat(p.verifies(root)).isTrue();
      assertThat(p.account()).isEqualTo(n.accounts.get(a));
      assertThat(p.proof().siblings()).isEqualTo(n.accountSiblings(a));
    }
    assertThat(v.marketProof(2).verifies(root)).isTrue();
    assertThat(v.positionProof(3, 9).verifies(root)).isTrue();
  }

  @Property(tries = 40)
  void proofsVerifyAgainstTheRootOfTheirVersion(
      @ForAll("history") List<Batch> batches, @ForAll @IntRange(min = 1, max = 3) int kept) {
    try (TestData.TempStore t =
        new TestData.TempStore(
            StateStoreOptions.DEFAULT
                .withKeptVersions(kept)
                .withBlockCacheBytes(8L << 20)
                .withWriteBufferBytes(8L << 20))) {
      NaiveState n = new NaiveState();
      List<NaiveState> states = new ArrayList<>();
      List<Set<Op>> touchedUpTo = new ArrayList<>();
      states.add(n.copy());
      Set<Op> touched = new LinkedHashSet<>();
      touchedUpTo.add(new LinkedHashSet<>());
      for (Batch batch : batches) {
        runBatch(t.store, n, batch, true, touched);
        states.add(n.copy());
        touchedUpTo.add(new LinkedHashSet<>(touched));
      }
      long current = t.store.version();
      assertThat(t.store.oldestVersion()).isEqualTo(Math.max(0, current - kept + 1));
      for (long v = t.store.oldestVersion(); v <= current; v++) {
        try (StateView view = t.store.view(v)) {
          // proofs of every leaf touched in any version, as of version v
          checkProofs(view, states.get((int) v), touched);
        }
      }
      if (t.store.oldestVersion() > 0) {
        StateErrorsTest.assertError(
            () -> t.store.view(t.store.oldestVersion() - 1), StateError.VERSION_NOT_KEPT);
      }
    }
  }

  // ---------------------------------------------------------------- (c) rollback

  @Property(tries = 40)
  void rollbackRestoresTheRootAndEveryProofOfThatVersion(
      @ForAll("history") List<Batch> batches,
      @ForAll("history") List<Batch> after,
      @ForAll @IntRange(min = 0, max = 4) int back) {
    try (TestData.TempStore t = new TestData.TempStore()) {
      NaiveState n = new NaiveState();
      List<NaiveState> states = new ArrayList<>();
      List<Fr> roots = new ArrayList<>();
      List<List<Object>> proofs = new ArrayList<>();
      Set<Op> touched = new LinkedHashSet<>();
      for (Batch batch : batches) {
        for (Step s : batch.steps()) {
          touched.add(s.op());
        }
      }
      states.add(n.copy());
      roots.add(t.store.root());
      proofs.add(proofsOf(t.store, touched));
      for (Batch batch : batches) {
        runBatch(t.store, n, batch, false, new LinkedHashSet<>());
        states.add(n.copy());
        roots.add(t.store.root());
        proofs.add(proofsOf(t.store, touched));
      }
      long target = Math.max(0, t.store.version() - back);
      t.store.rollback(target);
      assertThat(t.store.version()).isEqualTo(target);
      assertThat(t.store.root()).isEqualTo(roots.get((int) target));
      assertThat(proofsOf(t.store, touched)).isEqualTo(proofs.get((int) target));
      assertThat(t.reopen().root()).isEqualTo(roots.get((int) target));
      assertThat(proofsOf(t.store, touched)).isEqualTo(proofs.get((int) target));

      // new batches continue from target + 1 and match the reference continued from target
      NaiveState m = states.get((int) target).copy();
      for (Batch batch : after) {
        runBatch(t.store, m, batch, false, new LinkedHashSet<>());
        assertThat(t.store.root()).isEqualTo(m.stateRoot());
      }
      assertThat(t.store.version()).isEqualTo(target + after.size());
    }
  }

  /** Every proof of the touched leaves at the latest version, as comparable records. */
  static List<Object> proofsOf(RollupStateStore store, Set<Op> touched) {
    List<Object> out = new ArrayList<>();
    try (StateView v = store.view()) {
      out.add(v.roots());
      out.add(v.globalProof());
      for (Op op : touched) {
        switch (op) {
          case SetAccount o -> out.add(v.accountProof(o.id()));
          case SetPosition o -> out.add(v.positionProof(o.account(), o.market()));
          case SetFill o -> out.add(v.fillProof(o.account(), Fill.slotOf(o.nonce())));
          case SetMarket o -> out.add(v.marketProof(o.id()));
          case SetGlobal o -> out.add(v.global());
        }
      }
    }
    return out;
  }
}
