package io.zkperp.sequencer.core;

import static io.zkperp.sequencer.core.PropertySteps.check;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.IdentityHashMap;
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
 * {@link LongObjectHashMap} against {@link HashMap}: random sequences of put (null values too),
 * get, remove, iteration and clear, on keys chosen to collide (one home bucket at small capacities,
 * clusters that wrap past the last bucket), on 0 and {@code Long.MAX_VALUE}, on negative keys
 * (absent for get and remove, rejected by put), re-inserted after removal, and on runs of
 * consecutive keys put and removed in bulk so that the table grows several times (to 1,024 slots
 * and beyond in about half of the runs) while removals go on. After every operation the size
 * matches and every model key maps to the very same value object; {@code forEachValue} is compared
 * now and then and at the end. The two order books share this class, so {@code
 * DifferentialBookTest} cannot catch a bug in it.
 */
class LongObjectHashMapPropertiesTest {
  /** Keys that share the home bucket of -1, the empty marker: their removal frees its path. */
  static final long[] MINUS_ONE_HOME = HashKeys.withTopHashBits(0, HashKeys.topHashBits(-1), 24);

  /** One operation on the map and the model. */
  sealed interface Op permits Put, PutMany, PutNegative, Get, Remove, RemoveMany, Iterate, Clear {}

  /** Puts a fresh value object (or null) under {@code key}. */
  record Put(long key, boolean nullValue) implements Op {}

  /** Puts fresh values under {@code count} consecutive keys from {@code from}: the table grows. */
  record PutMany(long from, int count) implements Op {}

  /** Puts under a negative key: rejected, nothing changes. */
  record PutNegative(long key) implements Op {}

  /** Reads {@code key} (may be negative or absent). */
  record Get(long key) implements Op {}

  /** Removes {@code key} (may be negative or absent). */
  record Remove(long key) implements Op {}

  /** Removes {@code count} consecutive keys from {@code from}, present or not. */
  record RemoveMany(long from, int count) implements Op {}

  /** Compares the values seen by {@code forEachValue} with the model's. */
  record Iterate() implements Op {}

  /** Clears the map. */
  record Clear() implements Op {}

  /** A run: the constructor's expected size and the operations. */
  record Run(int expected, List<Op> ops) {}

  @Property(tries = 250)
  void behavesLikeHashMap(@ForAll("runs") Run run) {
    LongObjectHashMap<Object> map = new LongObjectHashMap<>(run.expected());
    Map<Long, Object> model = new HashMap<>();
    int step = 0;
    for (Op op : run.ops()) {
      step++;
      apply(map, model, op, step);
      assertSameState(map, model, step, op);
    }
    assertSameValues(map, model, step);
  }

  private static void apply(
      LongObjectHashMap<Object> map, Map<Long, Object> model, Op op, int step) {
    switch (op) {
      case Put p -> {
        Object value = p.nullValue() ? null : new Value(step);
        map.put(p.key(), value);
        model.put(p.key(), value);
        check(map.get(p.key()) == value, step, op, "get after put");
      }
      case PutMany p -> {
        for (long k = p.from(); k < p.from() + p.count(); k++) {
          Object value = new Value(step);
          map.put(k, value);
          model.put(k, value);
        }
      }
      case PutNegative p -> {
        assertThatThrownBy(() -> map.put(p.key(), new Value(step)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("negative key");
      }
      case Get g -> check(map.get(g.key()) == model.get(g.key()), step, op, "get");
      case Remove r -> {
        Object expected = model.remove(r.key());
        check(map.remove(r.key()) == expected, step, op, "remove's result");
        check(map.get(r.key()) == null, step, op, "get after remove");
      }
      case RemoveMany r -> {
        for (long k = r.from(); k < r.from() + r.count(); k++) {
          Object expected = model.remove(k);
          if (map.remove(k) != expected) {
            throw new AssertionError("step " + step + " after " + op + ": remove of key " + k);
          }
        }
      }
      case Iterate i -> assertSameValues(map, model, step);
      case Clear c -> {
        map.clear();
        model.clear();
      }
    }
  }

  /** Size, and every model key maps to the very same value object. */
  private static void assertSameState(
      LongObjectHashMap<Object> map, Map<Long, Object> model, int step, Op op) {
    if (map.size() != model.size()) {
      throw new AssertionError(
          "step " + step + " after " + op + ": size " + map.size() + ", expected " + model.size());
    }
    // -1 is the map's empty marker: its get reads the first free slot on its probe path, which must
    // hold no stale value (the core looks up order ids taken from commands, negative ones too)
    check(map.get(-1) == null, step, op, "get(-1) sees a stale value");
    for (Map.Entry<Long, Object> e : model.entrySet()) {
      if (map.get(e.getKey()) != e.getValue()) {
        throw new AssertionError(
            "step " + step + " after " + op + ": key " + e.getKey() + " lost or wrong");
      }
    }
  }

  /** {@code forEachValue} visits exactly the model's values, each once (null values included). */
  private static void assertSameValues(
      LongObjectHashMap<Object> map, Map<Long, Object> model, int step) {
    Map<Object, Integer> seen = new IdentityHashMap<>();
    int[] nulls = {0};
    map.forEachValue(
        v -> {
          if (v == null) {
            nulls[0]++;
          } else {
            seen.merge(v, 1, Integer::sum);
          }
        });
    Map<Object, Integer> expected = new IdentityHashMap<>();
    int expectedNulls = 0;
    for (Object v : model.values()) {
      if (v == null) {
        expectedNulls++;
      } else {
        expected.merge(v, 1, Integer::sum);
      }
    }
    if (!seen.equals(expected) || nulls[0] != expectedNulls) {
      throw new AssertionError(
          "step "
              + step
              + ": forEachValue saw "
              + seen
              + " + "
              + nulls[0]
              + " nulls, model has "
              + expected
              + " + "
              + expectedNulls
              + " nulls");
    }
  }

  /** A value with identity: the map must hand back the very object it was given. */
  record Value(int step) {}

  @Provide
  Arbitrary<Run> runs() {
    Arbitrary<Long> keys = HashKeys.mapKeys(Arbitraries.of(HashKeys.boxed(MINUS_ONE_HOME)), 2);
    Arbitrary<Long> anyKeys =
        Arbitraries.frequencyOf(
            Tuple.of(12, keys), Tuple.of(1, Arbitraries.of(-1L, -2L, Long.MIN_VALUE)));
    // half of the runs remove less than they put: the table grows to 1,024 slots and beyond
    Arbitrary<List<Op>> lists =
        Combinators.combine(
                Arbitraries.of(300, 60),
                Arbitraries.integers()
                    .between(1, 3_000)
                    .withDistribution(RandomDistribution.uniform()))
            .flatAs((removes, n) -> ops(keys, anyKeys, removes).list().ofSize(n));
    return Combinators.combine(Arbitraries.of(0, 1, 8, 9, 16, 100), lists).as(Run::new);
  }

  private static Arbitrary<Op> ops(Arbitrary<Long> keys, Arbitrary<Long> anyKeys, int removes) {
    return Arbitraries.frequencyOf(
        Tuple.of(
            400, Combinators.combine(keys, Arbitraries.of(false, false, false, true)).as(Put::new)),
        Tuple.of(
            3,
            Combinators.combine(
                    Arbitraries.longs().between(0, 20_000), Arbitraries.integers().between(1, 400))
                .as(PutMany::new)),
        Tuple.of(
            removes / 100,
            Combinators.combine(
                    Arbitraries.longs().between(0, 20_000), Arbitraries.integers().between(1, 400))
                .as(RemoveMany::new)),
        Tuple.of(5, Arbitraries.of(-1L, -2L, Long.MIN_VALUE).map(PutNegative::new)),
        Tuple.of(200, anyKeys.map(Get::new)),
        Tuple.of(removes, anyKeys.map(Remove::new)),
        Tuple.of(20, Arbitraries.just(new Iterate())),
        Tuple.of(1, Arbitraries.just(new Clear())));
  }
}
