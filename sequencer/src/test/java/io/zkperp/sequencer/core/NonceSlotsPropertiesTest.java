package io.zkperp.sequencer.core;

import static io.zkperp.sequencer.core.PropertySteps.check;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;

/**
 * {@link NonceSlots} against a {@link TreeMap} keyed by {@code account << 16 | slot}: random
 * sequences of set (new slots, and overwrites by a nonce of the same slot, newer or older), find
 * (used and unused slots, accounts never seen, accounts beyond the initial table of accounts),
 * state and fill updates, and canonical iteration; nonces collide in their slot ({@code nonce mod
 * 2^12}), and slots up to 4,095 make an account's table grow to the whole window. After every
 * operation the size and every used slot's (nonce, filled, state) match.
 */
class NonceSlotsPropertiesTest {
  private static final int WINDOW = NonceSlots.WINDOW;

  /** One operation on the slots and the model. */
  sealed interface Op permits SetSlot, Find, SetState, AddFilled, Iterate {}

  /** Creates or overwrites the slot of {@code nonce} (≥ 1). */
  record SetSlot(int account, long nonce, long filled, long state) implements Op {}

  /** Looks up any nonce of any account. */
  record Find(int account, long nonce) implements Op {}

  /** Sets the state of the {@code pick}-th (mod count) used slot. */
  record SetState(int pick, long state) implements Op {}

  /** Adds to the filled size of the {@code pick}-th (mod count) used slot. */
  record AddFilled(int pick, long fill) implements Op {}

  /** Compares {@code forEach} with the model, in order. */
  record Iterate() implements Op {}

  @Property(tries = 1000)
  void slotIsNonceModWindow(@ForAll long nonce) {
    check(NonceSlots.slot(nonce) == Math.floorMod(nonce, WINDOW), 0, null, "slot of " + nonce);
  }

  @Property(tries = 250)
  void behavesLikeSortedMap(@ForAll("runs") List<Op> ops) throws IOException {
    NonceSlots slots = new NonceSlots();
    TreeMap<Long, long[]> model = new TreeMap<>();
    int step = 0;
    for (Op op : ops) {
      step++;
      switch (op) {
        case SetSlot s -> {
          slots.set(s.account(), s.nonce(), s.filled(), s.state());
          model.put(key(s.account(), s.nonce()), new long[] {s.nonce(), s.filled(), s.state()});
        }
        case Find f -> {
          int expected = model.containsKey(key(f.account(), f.nonce())) ? slot(f.nonce()) : -1;
          check(slots.find(f.account(), f.nonce()) == expected, step, op, "find");
        }
        case SetState s -> {
          if (!model.isEmpty()) {
            long k = pick(model, s.pick());
            slots.setState(account(k), slot(k), s.state());
            model.get(k)[2] = s.state();
          }
        }
        case AddFilled a -> {
          if (!model.isEmpty()) {
            long k = pick(model, a.pick());
            slots.addFilled(account(k), slot(k), a.fill());
            model.get(k)[1] += a.fill();
          }
        }
        case Iterate i -> assertSameIteration(slots, model, step);
      }
      assertSameState(slots, model, step, op);
    }
    assertSameIteration(slots, model, step);
  }

  private static void assertSameState(
      NonceSlots slots, TreeMap<Long, long[]> model, int step, Op op) {
    check(slots.size() == model.size(), step, op, "size");
    for (Map.Entry<Long, long[]> e : model.entrySet()) {
      int account = account(e.getKey());
      int slot = slot(e.getKey());
      long[] v = e.getValue();
      boolean ok =
          slots.find(account, v[0]) == slot
              // any nonce of the slot finds it: the caller compares nonceAt
              && slots.find(account, v[0] ^ WINDOW) == slot
              && slots.nonceAt(account, slot) == v[0]
              && slots.filledAt(account, slot) == v[1]
              && slots.stateAt(account, slot) == v[2];
      check(
          ok,
          step,
          op,
          () -> PropertySteps.slotState(slots, account, slot) + ", expected " + Arrays.toString(v));
    }
  }

  private static void assertSameIteration(NonceSlots slots, TreeMap<Long, long[]> model, int step)
      throws IOException {
    List<String> seen = new ArrayList<>();
    slots.forEach(
        (account, slot, nonce, filled, state) ->
            seen.add(account + "/" + slot + ":" + nonce + "," + filled + "," + state));
    List<String> expected = new ArrayList<>();
    model.forEach(
        (k, v) -> expected.add(account(k) + "/" + slot(k) + ":" + v[0] + "," + v[1] + "," + v[2]));
    if (!seen.equals(expected)) {
      throw new AssertionError("step " + step + ": forEach " + seen + ", expected " + expected);
    }
  }

  private static long key(int account, long nonce) {
    return (long) account << 16 | slot(nonce);
  }

  private static int account(long key) {
    return (int) (key >>> 16);
  }

  private static int slot(long nonceOrKey) {
    return (int) Math.floorMod(nonceOrKey, (long) WINDOW);
  }

  private static long pick(TreeMap<Long, long[]> model, int pick) {
    int n = pick % model.size();
    for (long k : model.keySet()) {
      if (n-- == 0) {
        return k;
      }
    }
    throw new IllegalStateException();
  }

  @Provide
  Arbitrary<List<Op>> runs() {
    Arbitrary<Integer> accounts =
        Arbitraries.frequencyOf(
            Tuple.of(10, Arbitraries.integers().between(0, 3)),
            Tuple.of(2, Arbitraries.of(1023, 1024, 1025, 2048, 4_000)));
    Arbitrary<Integer> slots =
        Arbitraries.frequencyOf(
            Tuple.of(10, Arbitraries.integers().between(0, 70)),
            Tuple.of(3, Arbitraries.of(127, 128, 255, 256, 1023, 1024, 4_094, 4_095)),
            Tuple.of(
                1,
                Arbitraries.integers()
                    .between(0, WINDOW - 1)
                    .withDistribution(RandomDistribution.uniform())));
    // nonces ≥ 1 sharing slots: slot + k·2^12, up to the top of the long range
    Arbitrary<Long> nonces =
        Combinators.combine(
                slots,
                Arbitraries.frequencyOf(
                    Tuple.of(10, Arbitraries.longs().between(0, 3)),
                    Tuple.of(1, Arbitraries.of(Long.MAX_VALUE >>> 12))))
            .as((slot, k) -> slot + (k << 12))
            .map(n -> n == 0 ? WINDOW : n);
    Arbitrary<Long> states = Arbitraries.of(NonceSlots.OPEN, NonceSlots.CLOSED, 1L, 77L, 1L << 40);
    Arbitrary<Long> filled = Arbitraries.longs().between(0, 1_000_000);
    Arbitrary<Integer> picks =
        Arbitraries.integers()
            .between(0, Integer.MAX_VALUE)
            .withDistribution(RandomDistribution.uniform());
    Arbitrary<Op> ops =
        Arbitraries.frequencyOf(
            Tuple.of(40, Combinators.combine(accounts, nonces, filled, states).as(SetSlot::new)),
            Tuple.of(
                30,
                Combinators.combine(
                        Arbitraries.frequencyOf(
                            Tuple.of(10, accounts),
                            Tuple.of(1, Arbitraries.of(5_000, 100_000, Integer.MAX_VALUE))),
                        nonces)
                    .as(Find::new)),
            Tuple.of(10, Combinators.combine(picks, states).as(SetState::new)),
            Tuple.of(10, Combinators.combine(picks, filled).as(AddFilled::new)),
            Tuple.of(1, Arbitraries.just(new Iterate())));
    return Arbitraries.integers()
        .between(1, 2_000)
        .withDistribution(RandomDistribution.uniform())
        .flatMap(n -> ops.list().ofSize(n));
  }
}
