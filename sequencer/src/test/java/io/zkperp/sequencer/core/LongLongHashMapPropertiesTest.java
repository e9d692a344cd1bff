package io.zkperp.sequencer.core;

import static io.zkperp.sequencer.core.PropertySteps.check;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;

/**
 * {@link LongLongHashMap} (the core's positions) against {@link HashMap}: random sequences of add,
 * get, {@code sortedNonZeroKeys} and clear, on colliding keys, keys that wrap past the last bucket,
 * 0 and {@code Long.MAX_VALUE}, and runs of consecutive keys added in bulk so that the table grows
 * several times; deltas small enough that entries often return to 0 (they stay in the map but leave
 * {@code sortedNonZeroKeys}), and extreme ones that overflow ({@code Math.addExact} throws and the
 * entry keeps its value). The observable state is compared after every operation.
 */
class LongLongHashMapPropertiesTest {

  /** One operation on the map and the model. */
  sealed interface Op permits Add, AddMany, Get, SortedKeys, Clear {}

  /** Adds {@code delta} to {@code key}'s value. */
  record Add(long key, long delta) implements Op {}

  /** Adds 1 to {@code count} consecutive keys from {@code from}: the table grows. */
  record AddMany(long from, int count) implements Op {}

  /** Reads {@code key} (0 when absent; may be negative, which is never added). */
  record Get(long key) implements Op {}

  /** Compares {@code sortedNonZeroKeys} with the model's. */
  record SortedKeys() implements Op {}

  /** Clears the map. */
  record Clear() implements Op {}

  /** A run: the constructor's expected size and the operations. */
  record Run(int expected, List<Op> ops) {}

  @Property(tries = 250)
  void behavesLikeHashMap(@ForAll("runs") Run run) {
    LongLongHashMap map = new LongLongHashMap(run.expected());
    Map<Long, Long> model = new HashMap<>();
    int step = 0;
    for (Op op : run.ops()) {
      step++;
      apply(map, model, op, step);
      assertSameState(map, model, step, op);
    }
    assertSameSortedKeys(map, model, step);
  }

  private static void apply(LongLongHashMap map, Map<Long, Long> model, Op op, int step) {
    switch (op) {
      case Add a -> add(map, model, a.key(), a.delta(), step, op);
      case AddMany a -> {
        for (long k = a.from(); k < a.from() + a.count(); k++) {
          add(map, model, k, 1, step, op);
        }
      }
      case Get g -> check(map.get(g.key()) == model.getOrDefault(g.key(), 0L), step, op, "get");
      case SortedKeys s -> assertSameSortedKeys(map, model, step);
      case Clear c -> {
        map.clear();
        model.clear();
      }
    }
  }

  /** Adds to map and model; an overflowing add must throw and leave the value as it was. */
  private static void add(
      LongLongHashMap map, Map<Long, Long> model, long key, long delta, int step, Op op) {
    long before = model.getOrDefault(key, 0L);
    long expected;
    try {
      expected = Math.addExact(before, delta);
    } catch (ArithmeticException overflow) {
      try {
        map.add(key, delta);
      } catch (ArithmeticException e) {
        check(map.get(key) == before, step, op, "value changed by an overflowing add");
        return;
      }
      throw new AssertionError("step " + step + " after " + op + ": overflow not detected");
    }
    map.add(key, delta);
    model.put(key, expected);
  }

  /** Every model key reads back its value. */
  private static void assertSameState(LongLongHashMap map, Map<Long, Long> model, int step, Op op) {
    // -1 is the map's empty marker: its get reads the first free slot on its probe path
    check(map.get(-1) == 0, step, op, "get(-1) sees a stale value");
    for (Map.Entry<Long, Long> e : model.entrySet()) {
      if (map.get(e.getKey()) != e.getValue()) {
        throw new AssertionError(
            "step "
                + step
                + " after "
                + op
                + ": key "
                + e.getKey()
                + " reads "
                + map.get(e.getKey())
                + ", expected "
                + e.getValue());
      }
    }
  }

  private static void assertSameSortedKeys(LongLongHashMap map, Map<Long, Long> model, int step) {
    long[] expected =
        model.entrySet().stream()
            .filter(e -> e.getValue() != 0)
            .mapToLong(Map.Entry::getKey)
            .sorted()
            .toArray();
    long[] actual = map.sortedNonZeroKeys();
    if (!java.util.Arrays.equals(actual, expected)) {
      throw new AssertionError(
          "step "
              + step
              + ": sortedNonZeroKeys "
              + java.util.Arrays.toString(actual)
              + ", expected "
              + java.util.Arrays.toString(expected));
    }
  }

  @Provide
  Arbitrary<Run> runs() {
    Arbitrary<Long> keys = HashKeys.mapKeys();
    Arbitrary<Long> deltas =
        Arbitraries.frequencyOf(
            Tuple.of(20, Arbitraries.longs().between(-2, 2)),
            Tuple.of(3, Arbitraries.longs().between(-1_000_000, 1_000_000)),
            Tuple.of(1, Arbitraries.of(Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 1)));
    Arbitrary<Op> ops =
        Arbitraries.frequencyOf(
            Tuple.of(500, Combinators.combine(keys, deltas).as(Add::new)),
            Tuple.of(
                3,
                Combinators.combine(
                        Arbitraries.longs().between(0, 20_000),
                        Arbitraries.integers().between(1, 400))
                    .as(AddMany::new)),
            Tuple.of(
                200,
                Arbitraries.frequencyOf(
                        Tuple.of(12, keys), Tuple.of(1, Arbitraries.of(-1L, -2L, Long.MIN_VALUE)))
                    .map(Get::new)),
            Tuple.of(20, Arbitraries.just(new SortedKeys())),
            Tuple.of(1, Arbitraries.just(new Clear())));
    Arbitrary<List<Op>> lists =
        Arbitraries.integers()
            .between(1, 3_000)
            .withDistribution(RandomDistribution.uniform())
            .flatMap(n -> ops.list().ofSize(n));
    return Combinators.combine(Arbitraries.of(0, 1, 8, 9, 16, 100), lists).as(Run::new);
  }
}
