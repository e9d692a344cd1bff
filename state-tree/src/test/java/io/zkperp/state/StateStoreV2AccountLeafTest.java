package io.zkperp.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.protocol.state.v2.AccountIdentity;
import io.zkperp.protocol.state.v2.AccountV2;
import io.zkperp.protocol.state.v2.FillV2;
import io.zkperp.protocol.state.v2.LayoutV2;
import io.zkperp.protocol.state.v2.PositionList;
import io.zkperp.state.v2.AccountLeafUpdateV2;
import io.zkperp.state.v2.StateBatchV2;
import io.zkperp.state.v2.StateRootsV2;
import io.zkperp.state.v2.StateStoreV2;
import io.zkperp.state.v2.StateViewV2;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link StateBatchV2#updateAccountLeaf} on real RocksDB: a collateral step's openings (an account
 * with fills debited, a new account created in its empty sibling slot) chain from the old root to
 * the new one, keep the account's fills root, match the store's own proofs, and give the roots of
 * the same records written in batched mode.
 */
class StateStoreV2AccountLeafTest {
  @TempDir Path dir;

  private static AccountV2 account(long id, long collateral) {
    return new AccountV2(
        new AccountIdentity(
            Fr.fromLong(1000 + id), Fr.fromLong(2000 + id), L1Address.of(new byte[20]), 0),
        id,
        collateral,
        PositionList.EMPTY.with(3, 40, -7));
  }

  private static StateStoreOptions options() {
    return StateStoreOptions.DEFAULT.withKeptVersions(4).withBlockCacheBytes(8 << 20);
  }

  private static void genesis(StateBatchV2 b) {
    b.setAccount(4, account(4, 200_000));
    b.setFill(4, new FillV2(70_000, 20));
  }

  @Test
  void openingsChainKeepTheFillsRootAndMatchBatchedMode() {
    StateRootsV2 expected;
    try (StateStoreV2 batched = StateStoreV2.open(dir.resolve("batched"), options())) {
      StateBatchV2 b = batched.beginBatch();
      genesis(b);
      b.commit();
      b = batched.beginBatch();
      b.setAccount(4, account(4, 150_000));
      b.setAccount(5, account(5, 50_000));
      expected = b.commit();
    }
    try (StateStoreV2 s = StateStoreV2.open(dir.resolve("witness"), options())) {
      StateBatchV2 g = s.beginBatch();
      genesis(g);
      StateRootsV2 old = g.commit();
      Fr fills4;
      try (StateViewV2 v = s.view()) {
        fills4 = v.fillsRoot(4);
      }
      StateBatchV2 b = s.beginBatch();
      AccountLeafUpdateV2 debit = b.updateAccountLeaf(4, account(4, 150_000));
      AccountLeafUpdateV2 created = b.updateAccountLeaf(5, account(5, 50_000));

      assertThat(debit.isConsistent()).isTrue();
      assertThat(created.isConsistent()).isTrue();
      assertThat(debit.rootsBefore()).isEqualTo(old);
      assertThat(created.rootsBefore()).isEqualTo(debit.rootsAfter());
      assertThat(created.rootsAfter()).isEqualTo(expected);
      assertThat(debit.fillsRoot()).isEqualTo(fills4).isNotEqualTo(created.fillsRoot());
      assertThat(debit.before().collateral()).isEqualTo(200_000);
      assertThat(created.before()).isNull();
      assertThat(created.path().oldLeaf()).isEqualTo(Fr.ZERO);
      // account 5 is account 4's sibling: its path holds account 4's new leaf
      assertThat(created.path().siblings().get(0)).isEqualTo(debit.path().newLeaf());
      assertThat(created.path().siblings()).hasSize(LayoutV2.ACCOUNTS_DEPTH);
      // an opening with another fills root is not consistent
      assertThat(
              new AccountLeafUpdateV2(
                      4,
                      debit.before(),
                      debit.after(),
                      created.fillsRoot(),
                      debit.path(),
                      debit.rootsBefore(),
                      debit.rootsAfter())
                  .isConsistent())
          .isFalse();

      assertThat(b.commit()).isEqualTo(expected);
      try (StateViewV2 v = s.view()) {
        assertThat(v.accountProof(5).path().siblings()).isEqualTo(created.path().siblings());
        assertThat(v.accountProof(5).path().leaf()).isEqualTo(created.path().newLeaf());
        assertThat(v.fillsRoot(4)).isEqualTo(fills4);
        assertThat(v.fill(4, LayoutV2.fillSlot(70_000))).isEqualTo(new FillV2(70_000, 20));
      }
    }
  }

  @Test
  void anIdOutsideTheTreeIsRefusedAndChangesNothing() {
    try (StateStoreV2 s = StateStoreV2.open(dir, options())) {
      StateBatchV2 g = s.beginBatch();
      genesis(g);
      StateRootsV2 old = g.commit();
      StateBatchV2 b = s.beginBatch();
      assertThatThrownBy(() -> b.updateAccountLeaf(1L << LayoutV2.ACCOUNTS_DEPTH, account(1, 1)))
          .isInstanceOf(StateStoreException.class)
          .extracting(e -> ((StateStoreException) e).error())
          .isEqualTo(StateError.INDEX_OUT_OF_RANGE);
      assertThat(b.roots()).isEqualTo(old);
    }
  }
}
