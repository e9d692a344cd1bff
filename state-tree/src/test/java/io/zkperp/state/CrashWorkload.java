package io.zkperp.state;

import io.zkperp.protocol.state.Fill;
import io.zkperp.protocol.state.GlobalState;
import io.zkperp.protocol.state.Position;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The deterministic batches of the crash test: batch v depends only on (seed, v), and only sets
 * positions and fills of accounts the same batch creates or updates first, so it is valid whatever
 * the state.
 */
final class CrashWorkload {
  static final int UNIVERSE = 512;
  static final int ACCOUNT_UPDATES = 100;
  static final int POSITION_UPDATES = 100;
  static final int FILL_UPDATES = 80;
  static final int MARKET_UPDATES = 5;

  private CrashWorkload() {}

  /** Spreads k over the 24-bit id space (multiplication by an odd constant is a bijection). */
  static int accountId(int k) {
    return (int) ((k * 2_654_435_761L) & 0xffffff);
  }

  static List<StatePropertiesTest.Op> batch(long seed, long version) {
    SplittableRandom r = new SplittableRandom(seed * 1_000_003L + version);
    List<StatePropertiesTest.Op> ops = new ArrayList<>();
    List<Integer> set = new ArrayList<>();
    for (int i = 0; i < ACCOUNT_UPDATES; i++) {
      int id = accountId(r.nextInt(UNIVERSE));
      set.add(id);
      ops.add(new StatePropertiesTest.SetAccount(id, r.nextLong()));
    }
    for (int i = 0; i < POSITION_UPDATES; i++) {
      long size = r.nextInt(10) == 0 ? 0 : r.nextLong(-50, 50);
      ops.add(
          new StatePropertiesTest.SetPosition(
              set.get(r.nextInt(set.size())), r.nextInt(8), size, r.nextLong()));
    }
    for (int i = 0; i < FILL_UPDATES; i++) {
      ops.add(
          new StatePropertiesTest.SetFill(
              set.get(r.nextInt(set.size())), r.nextLong(1, 200_000), r.nextLong(0, 1000)));
    }
    for (int i = 0; i < MARKET_UPDATES; i++) {
      ops.add(new StatePropertiesTest.SetMarket(r.nextInt(8), r.nextLong()));
    }
    ops.add(new StatePropertiesTest.SetGlobal(r.nextLong(), r.nextLong()));
    return ops;
  }

  /** Every fifth version is applied in witness mode, the others batched. */
  static boolean witnessMode(long version) {
    return version % 5 == 0;
  }

  static void apply(StateBatch b, StatePropertiesTest.Op op, boolean witness) {
    switch (op) {
      case StatePropertiesTest.SetAccount o -> {
        if (witness) {
          b.setAccountWitnessed(o.id(), TestData.account(o.seed()));
        } else {
          b.setAccount(o.id(), TestData.account(o.seed()));
        }
      }
      case StatePropertiesTest.SetPosition o -> {
        Position p = new Position(o.size(), o.snapshot());
        if (witness) {
          b.setPositionWitnessed(o.account(), o.market(), p);
        } else {
          b.setPosition(o.account(), o.market(), p);
        }
      }
      case StatePropertiesTest.SetFill o -> {
        Fill f = new Fill(o.nonce(), o.filled());
        if (witness) {
          b.setFillWitnessed(o.account(), f);
        } else {
          b.setFill(o.account(), f);
        }
      }
      case StatePropertiesTest.SetMarket o -> {
        if (witness) {
          b.setMarketWitnessed(o.id(), TestData.market(o.seed()));
        } else {
          b.setMarket(o.id(), TestData.market(o.seed()));
        }
      }
      case StatePropertiesTest.SetGlobal o -> {
        GlobalState g = new GlobalState(o.insurance(), o.fees());
        if (witness) {
          b.setGlobalWitnessed(g);
        } else {
          b.setGlobal(g);
        }
      }
    }
  }
}
