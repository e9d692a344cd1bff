package io.zkperp.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.protocol.state.v2.AccountIdentity;
import io.zkperp.protocol.state.v2.AccountV2;
import io.zkperp.protocol.state.v2.FillV2;
import io.zkperp.protocol.state.v2.GlobalV2;
import io.zkperp.protocol.state.v2.LayoutV2;
import io.zkperp.protocol.state.v2.MarketRiskV2;
import io.zkperp.protocol.state.v2.MarketV2;
import io.zkperp.protocol.state.v2.PositionList;
import io.zkperp.state.v2.AccountUpdateV2;
import io.zkperp.state.v2.GlobalUpdateV2;
import io.zkperp.state.v2.MarketUpdateV2;
import io.zkperp.state.v2.StateBatchV2;
import io.zkperp.state.v2.StateRootsV2;
import io.zkperp.state.v2.StateStoreV2;
import io.zkperp.state.v2.StateViewV2;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Witness mode of {@link StateStoreV2} on real RocksDB: the openings of a trade step (buyer's fill
 * and account, then the seller's taken after the buyer's update, the market, the global leaf) are
 * checked against the store itself — each path recomputed from its leaf reaches the roots it
 * claims, the roots chain from one update to the next, and the final roots are those of the same
 * records written in batched mode in a second store and committed.
 */
class StateStoreV2WitnessTest {
  @TempDir Path dir;

  private static final long BUYER = 4;
  private static final long SELLER = 5; // the buyer's sibling leaf: its path holds the buyer's leaf

  private static AccountV2 account(long id, long collateral, PositionList positions) {
    return new AccountV2(
        new AccountIdentity(
            Fr.fromLong(1000 + id), Fr.fromLong(2000 + id), L1Address.of(new byte[20]), 1),
        id,
        collateral,
        positions);
  }

  private static MarketV2 market(long oi) {
    return new MarketV2(
        1_300L << 32,
        1_800_000_000,
        -50_000_000_000L,
        1_799_990_000,
        oi,
        new MarketRiskV2(
            50_000, 30_000, 100, 50, 10_000, 1_000_000, 1_000_000, 60, 5, 100_000, 3_600, 1_000));
  }

  private static StateStoreOptions options() {
    return StateStoreOptions.DEFAULT.withKeptVersions(4).withBlockCacheBytes(8 << 20);
  }

  /** Accounts 4, 5 and 9 with fills, market 3, a global leaf with a fee balance. */
  private static void genesis(StateBatchV2 b) {
    b.setAccount(BUYER, account(BUYER, 200_000, PositionList.EMPTY.with(3, 40, -7)));
    b.setAccount(SELLER, account(SELLER, 150_000, PositionList.EMPTY.with(1, -3, 5)));
    b.setAccount(9, account(9, 42, PositionList.EMPTY));
    b.setFill(BUYER, new FillV2(70_000, 20));
    b.setFill(SELLER, new FillV2(3, 3));
    b.setMarket(3, market(5_000));
    b.setGlobal(
        new GlobalV2(1_000, GlobalV2.GENESIS.oracleSigners(), 0, GlobalV2.GENESIS.feeTiers()));
  }

  private static GlobalV2 fees(GlobalV2 g, long feeBalance) {
    return new GlobalV2(feeBalance, g.oracleSigners(), g.oracleQuorum(), g.feeTiers());
  }

  private record Trade(
      AccountV2 buyer, FillV2 buyerFill, AccountV2 seller, FillV2 sellerFill, MarketV2 m) {}

  private static final Trade TRADE =
      new Trade(
          account(BUYER, 121_360, PositionList.EMPTY.with(3, 100, -50_000_000_000L)),
          new FillV2(70_000, 80),
          account(SELLER, 228_607, PositionList.EMPTY.with(1, -3, 5).with(3, -60, 9)),
          new FillV2(65_539, 60), // slot 3, taken over from nonce 3
          market(5_060));

  @Test
  void tradeOpeningsChainFromTheOldRootToTheNewRootAndMatchBatchedMode() {
    StateRootsV2 expected;
    try (StateStoreV2 batched = StateStoreV2.open(dir.resolve("batched"), options())) {
      StateBatchV2 b = batched.beginBatch();
      genesis(b);
      b.commit();
      b = batched.beginBatch();
      b.setFill(BUYER, TRADE.buyerFill);
      b.setAccount(BUYER, TRADE.buyer);
      b.setFill(SELLER, TRADE.sellerFill);
      b.setAccount(SELLER, TRADE.seller);
      b.setMarket(3, TRADE.m);
      b.setGlobal(fees(b.global(), 1_033));
      expected = b.commit();
    }
    try (StateStoreV2 s = StateStoreV2.open(dir.resolve("witness"), options())) {
      StateBatchV2 g = s.beginBatch();
      genesis(g);
      StateRootsV2 old = g.commit();
      StateBatchV2 b = s.beginBatch();

      AccountUpdateV2 buyer = b.updateAccount(BUYER, TRADE.buyer, TRADE.buyerFill);
      AccountUpdateV2 seller = b.updateAccount(SELLER, TRADE.seller, TRADE.sellerFill);
      MarketUpdateV2 mk = b.updateMarket(3, TRADE.m);
      GlobalUpdateV2 gl = b.updateGlobal(fees(b.global(), 1_033));

      // every opening is consistent in itself: leaves from the records, paths to the roots
      assertThat(buyer.isConsistent()).isTrue();
      assertThat(seller.isConsistent()).isTrue();
      assertThat(mk.isConsistent()).isTrue();
      assertThat(gl.isConsistent()).isTrue();
      // the roots chain: old root → buyer → seller → market → global = the new root
      assertThat(buyer.rootsBefore()).isEqualTo(old);
      assertThat(seller.rootsBefore()).isEqualTo(buyer.rootsAfter());
      assertThat(mk.rootsBefore()).isEqualTo(seller.rootsAfter());
      assertThat(gl.rootsBefore()).isEqualTo(mk.rootsAfter());
      assertThat(gl.rootsAfter()).isEqualTo(expected);
      assertThat(b.roots()).isEqualTo(expected);
      // the records before are the committed ones; the fill slot before held nonce 3
      assertThat(buyer.fillBefore()).isEqualTo(new FillV2(70_000, 20));
      assertThat(seller.fillBefore()).isEqualTo(new FillV2(3, 3));
      assertThat(buyer.before().collateral()).isEqualTo(200_000);
      assertThat(mk.before().openInterest()).isEqualTo(5_000);
      assertThat(gl.before().feeBalance()).isEqualTo(1_000);

      // the seller's path is taken after the buyer's update: accounts 4 and 5 are siblings, so the
      // seller's first sibling is the buyer's new leaf, not its committed one
      assertThat(seller.accountPath().siblings().get(0)).isEqualTo(buyer.accountPath().newLeaf());
      assertThat(seller.accountPath().siblings().get(0))
          .isNotEqualTo(buyer.accountPath().oldLeaf());
      try (StateViewV2 v = s.view()) {
        // the buyer's path against the committed state, the seller's not (it saw the buyer's leaf)
        assertThat(buyer.accountPath().siblings())
            .isEqualTo(v.accountProof(BUYER).path().siblings());
        assertThat(seller.accountPath().siblings())
            .isNotEqualTo(v.accountProof(SELLER).path().siblings());
        assertThat(seller.fillPath().siblings())
            .isEqualTo(v.fillProof(SELLER, 3).path().siblings());
        assertThat(mk.path().siblings()).isEqualTo(v.marketProof(3).path().siblings());
      }

      assertThat(b.commit()).isEqualTo(expected);
      try (StateViewV2 v = s.view()) {
        // after the commit the store's own proofs give the witnesses' new leaves under the new root
        assertThat(v.accountProof(SELLER).path().siblings())
            .isEqualTo(seller.accountPath().siblings());
        assertThat(v.accountProof(SELLER).path().leaf()).isEqualTo(seller.accountPath().newLeaf());
        assertThat(v.accountProof(BUYER).verifies(expected.stateRoot())).isTrue();
        assertThat(v.fillProof(SELLER, 3).fill()).isEqualTo(TRADE.sellerFill);
      }
    }
  }

  @Test
  void pathsRecomputedFromTheLeavesReachTheRoots() {
    try (StateStoreV2 s = StateStoreV2.open(dir, options())) {
      StateBatchV2 g = s.beginBatch();
      genesis(g);
      g.commit();
      StateBatchV2 b = s.beginBatch();
      AccountUpdateV2 u = b.updateAccount(BUYER, TRADE.buyer, TRADE.buyerFill);
      assertThat(u.fillPath().siblings()).hasSize(LayoutV2.FILLS_DEPTH);
      assertThat(u.accountPath().siblings()).hasSize(LayoutV2.ACCOUNTS_DEPTH);
      assertThat(u.fillPath().newProof().computeRoot()).isEqualTo(u.fillPath().newRoot());
      Fr leaf = TRADE.buyer.leafHash(u.fillPath().newRoot());
      assertThat(u.accountPath().newProof().computeRoot()).isEqualTo(u.rootsAfter().accountsRoot());
      assertThat(u.accountPath().newLeaf()).isEqualTo(leaf);
      assertThat(
              LayoutV2.stateRoot(
                  u.accountPath().newProof().computeRoot(),
                  u.rootsAfter().marketsRoot(),
                  u.rootsAfter().globalLeaf()))
          .isEqualTo(b.roots().stateRoot());
      MarketUpdateV2 m = b.updateMarket(3, TRADE.m);
      assertThat(m.path().siblings()).hasSize(LayoutV2.MARKETS_DEPTH);
      assertThat(m.path().newProof().computeRoot()).isEqualTo(b.roots().marketsRoot());
      // a wrong leaf does not reach the root
      assertThat(
              new io.zkperp.protocol.state.MerkleProof(
                      u.accountPath().index(),
                      account(BUYER, 1, PositionList.EMPTY).leafHash(u.fillPath().newRoot()),
                      u.accountPath().siblings())
                  .verifies(u.rootsAfter().accountsRoot()))
          .isFalse();
    }
  }

  @Test
  void batchedChangesBeforeAWitnessUpdateAreInItsRootsBefore() {
    try (StateStoreV2 s = StateStoreV2.open(dir, options())) {
      StateBatchV2 g = s.beginBatch();
      genesis(g);
      g.commit();
      StateBatchV2 b = s.beginBatch();
      b.setAccount(9, account(9, 43, PositionList.EMPTY)); // batched, not hashed yet
      StateRootsV2 pending = b.roots();
      b.setAccount(10, account(10, 1, PositionList.EMPTY));
      AccountUpdateV2 u = b.updateAccount(BUYER, TRADE.buyer, TRADE.buyerFill);
      assertThat(u.rootsBefore()).isNotEqualTo(pending); // account 10 is in it too
      assertThat(u.isConsistent()).isTrue();
      assertThat(b.roots()).isEqualTo(u.rootsAfter());
    }
  }

  @Test
  void refusedWitnessUpdatesChangeNothing() {
    try (StateStoreV2 s = StateStoreV2.open(dir, options())) {
      StateBatchV2 g = s.beginBatch();
      genesis(g);
      g.commit();
      StateBatchV2 b = s.beginBatch();
      b.updateAccount(BUYER, TRADE.buyer, TRADE.buyerFill);
      StateRootsV2 before = b.roots();
      assertThatThrownBy(() -> b.updateAccount(77, TRADE.buyer, TRADE.buyerFill))
          .isInstanceOfSatisfying(
              StateStoreException.class,
              e -> assertThat(e.error()).isEqualTo(StateError.ACCOUNT_NOT_FOUND));
      assertThatThrownBy(() -> b.updateAccount(SELLER, TRADE.seller, new FillV2(0, 1)))
          .isInstanceOfSatisfying(
              StateStoreException.class,
              e -> assertThat(e.error()).isEqualTo(StateError.INDEX_OUT_OF_RANGE));
      assertThatThrownBy(() -> b.updateMarket(4, TRADE.m))
          .isInstanceOfSatisfying(
              StateStoreException.class,
              e -> assertThat(e.error()).isEqualTo(StateError.MARKET_NOT_FOUND));
      assertThatThrownBy(() -> b.updateAccount(1L << 24, TRADE.buyer, TRADE.buyerFill))
          .isInstanceOfSatisfying(
              StateStoreException.class,
              e -> assertThat(e.error()).isEqualTo(StateError.INDEX_OUT_OF_RANGE));
      assertThat(b.roots()).isEqualTo(before);
      assertThat(b.fill(SELLER, 3)).isEqualTo(new FillV2(3, 3));
      assertThat(b.commit()).isEqualTo(before);
    }
  }

  @Test
  void randomWitnessUpdatesEqualBatchedMode() {
    Random rnd = new Random(7);
    for (int round = 0; round < 5; round++) {
      Path a = dir.resolve("w" + round);
      Path c = dir.resolve("b" + round);
      try (StateStoreV2 w = StateStoreV2.open(a, options());
          StateStoreV2 bt = StateStoreV2.open(c, options())) {
        for (StateStoreV2 s : new StateStoreV2[] {w, bt}) {
          StateBatchV2 g = s.beginBatch();
          genesis(g);
          g.commit();
        }
        StateBatchV2 wb = w.beginBatch();
        StateBatchV2 bb = bt.beginBatch();
        StateRootsV2 last = null;
        for (int i = 0; i < 20; i++) {
          long id = new long[] {BUYER, SELLER, 9}[rnd.nextInt(3)];
          AccountV2 acc = account(id, rnd.nextLong(), PositionList.EMPTY.with(3, 1 + i, i));
          FillV2 f = new FillV2(1 + rnd.nextInt(10_000), rnd.nextInt(1_000));
          AccountUpdateV2 u = wb.updateAccount(id, acc, f);
          assertThat(u.isConsistent()).isTrue();
          if (last != null) {
            assertThat(u.rootsBefore()).isEqualTo(last);
          }
          last = u.rootsAfter();
          bb.setFill(id, f);
          bb.setAccount(id, acc);
        }
        assertThat(bb.commit()).isEqualTo(last);
        assertThat(wb.commit()).isEqualTo(last);
      }
    }
  }
}
