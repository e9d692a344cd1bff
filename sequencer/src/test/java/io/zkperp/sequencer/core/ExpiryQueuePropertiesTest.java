package io.zkperp.sequencer.core;

import static io.zkperp.sequencer.core.PropertySteps.check;

import io.zkperp.sequencer.book.Order;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;

/**
 * {@link ExpiryQueue} against a {@link TreeSet} ordered by (expiry, order id): random sequences of
 * add, remove (of queued orders, of removed ones and of orders never queued), expiry of the head,
 * and clear, with many equal expiries (ties broken by order id, which the test hands out in no
 * particular order), extreme expiries, orders reused from a pool as the core does, and enough live
 * orders to grow the heap past its initial 1,024 slots. After every operation the size and the head
 * match, and each order's {@code heapIndex} is -1 exactly when it is not queued and otherwise a
 * distinct slot below the size.
 */
class ExpiryQueuePropertiesTest {
  static final Comparator<Order> EXPIRY_ORDER =
      Comparator.<Order>comparingLong(o -> o.expiry).thenComparingLong(o -> o.orderId);

  /** One operation on the queue and the model. */
  sealed interface Op permits Add, Stray, Remove, ExpireHead, Clear {}

  /**
   * Queues an order with {@code expiry}: a pooled (removed) one when {@code reuse} and the pool has
   * one, else a new one. Its order id is fresh; {@code idBlock} scatters ids so that they do not
   * follow insertion order.
   */
  record Add(long expiry, int idBlock, boolean reuse) implements Op {}

  /** Creates an order that is never queued (removing it must change nothing). */
  record Stray(long expiry) implements Op {}

  /** Removes the {@code pick}-th (mod count) order ever created: queued or not. */
  record Remove(int pick) implements Op {}

  /** Removes the head, as the core does when it expires orders. */
  record ExpireHead() implements Op {}

  /** Clears the queue. */
  record Clear() implements Op {}

  @Property(tries = 200)
  void behavesLikeSortedSet(@ForAll("balanced") List<Op> ops) {
    run(ops);
  }

  /** Mostly adds: the heap grows past its initial 1,024 slots, then drains in order. */
  @Property(tries = 25)
  void growsPastInitialCapacity(@ForAll("growing") List<Op> ops) {
    List<Op> all = new ArrayList<>(ops);
    for (int i = 0; i < ops.size(); i++) {
      all.add(new ExpireHead());
    }
    run(all);
  }

  private static void run(List<Op> ops) {
    ExpiryQueue queue = new ExpiryQueue();
    TreeSet<Order> model = new TreeSet<>(EXPIRY_ORDER);
    Map<Order, Integer> index = new IdentityHashMap<>();
    BitSet queued = new BitSet();
    List<Order> created = new ArrayList<>();
    List<Order> pool = new ArrayList<>();
    long[] nextId = {1};
    int step = 0;
    for (Op op : ops) {
      step++;
      switch (op) {
        case Add a -> {
          Order o;
          if (a.reuse() && !pool.isEmpty()) {
            o = pool.remove(pool.size() - 1);
            o.clear();
          } else {
            o = new Order();
            index.put(o, created.size());
            created.add(o);
          }
          o.orderId = a.idBlock() * 1_000_000_000L + nextId[0]++;
          o.expiry = a.expiry();
          queue.add(o);
          model.add(o);
          queued.set(index.get(o));
        }
        case Stray s -> {
          Order o = new Order();
          o.orderId = nextId[0]++;
          o.expiry = s.expiry();
          index.put(o, created.size());
          created.add(o);
        }
        case Remove r -> {
          if (!created.isEmpty()) {
            int i = r.pick() % created.size();
            Order o = created.get(i);
            queue.remove(o);
            if (model.remove(o)) {
              queued.clear(i);
              pool.add(o);
            }
          }
        }
        case ExpireHead e -> {
          Order head = queue.peek();
          check(head == (model.isEmpty() ? null : model.first()), step, op, "head");
          if (head != null) {
            queue.remove(head);
            model.remove(head);
            queued.clear(index.get(head));
            pool.add(head);
          }
        }
        case Clear c -> {
          queue.clear();
          pool.addAll(model);
          model.clear();
          queued.clear();
        }
      }
      assertSameState(queue, model, queued, created, step, op);
    }
    // draining yields the model's order
    while (!model.isEmpty()) {
      Order expected = model.pollFirst();
      check(queue.peek() == expected, step, null, "drain order");
      queue.remove(expected);
    }
    check(queue.size() == 0 && queue.peek() == null, step, null, "empty after draining");
  }

  private static void assertSameState(
      ExpiryQueue queue,
      TreeSet<Order> model,
      BitSet queued,
      List<Order> created,
      int step,
      Op op) {
    check(queue.size() == model.size(), step, op, "size");
    check(queue.peek() == (model.isEmpty() ? null : model.first()), step, op, "head");
    boolean[] taken = new boolean[queue.size()];
    for (int n = 0; n < created.size(); n++) {
      Order o = created.get(n);
      int i = o.heapIndex;
      boolean ok = queued.get(n) ? i >= 0 && i < taken.length && !taken[i] : i == -1;
      boolean q = queued.get(n);
      check(ok, step, op, () -> o + " (queued: " + q + ") has heapIndex " + i);
      if (i >= 0) {
        taken[i] = true;
      }
    }
  }

  private static Arbitrary<Op> ops(int add, int remove, int expire, int clear) {
    Arbitrary<Long> expiries =
        Arbitraries.frequencyOf(
            Tuple.of(10, Arbitraries.longs().between(0, 7)),
            Tuple.of(3, Arbitraries.longs().between(1_800_000_000L, 1_800_001_000L)),
            Tuple.of(1, Arbitraries.of(Long.MIN_VALUE, -1L, Long.MAX_VALUE)));
    return Arbitraries.frequencyOf(
        Tuple.of(
            add,
            Combinators.combine(
                    expiries, Arbitraries.integers().between(0, 7), Arbitraries.of(true, false))
                .as(Add::new)),
        Tuple.of(10, expiries.map(Stray::new)),
        Tuple.of(
            remove,
            Arbitraries.integers()
                .between(0, Integer.MAX_VALUE)
                .withDistribution(RandomDistribution.uniform())
                .map(Remove::new)),
        Tuple.of(expire, Arbitraries.just(new ExpireHead())),
        Tuple.of(clear, Arbitraries.just(new Clear())));
  }

  @Provide
  Arbitrary<List<Op>> balanced() {
    Arbitrary<Op> ops = ops(500, 300, 200, 1);
    return Arbitraries.integers()
        .between(1, 3_000)
        .withDistribution(RandomDistribution.uniform())
        .flatMap(n -> ops.list().ofSize(n));
  }

  @Provide
  Arbitrary<List<Op>> growing() {
    Arbitrary<Op> ops = ops(850, 100, 50, 0);
    return Arbitraries.integers()
        .between(1_500, 3_000)
        .withDistribution(RandomDistribution.uniform())
        .flatMap(n -> ops.list().ofSize(n));
  }
}
