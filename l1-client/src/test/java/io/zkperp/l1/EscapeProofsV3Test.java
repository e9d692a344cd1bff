package io.zkperp.l1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkperp.l1.contracts.ZkPerpRollupV3;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.protocol.state.v2.AccountIdentity;
import io.zkperp.protocol.state.v2.AccountV2;
import io.zkperp.protocol.state.v2.MarketRiskV2;
import io.zkperp.protocol.state.v2.MarketV2;
import io.zkperp.protocol.state.v2.PositionList;
import io.zkperp.state.StateStoreOptions;
import io.zkperp.state.v2.ProofsV2;
import io.zkperp.state.v2.StateBatchV2;
import io.zkperp.state.v2.StateStoreV2;
import io.zkperp.state.v2.StateViewV2;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link EscapeProofs#v3} on a real layout v2 RocksDB store: an account long market 3 and short
 * market 1 (entries in that order) becomes {@code ZkPerpRollupV3.escape}'s struct with its packed
 * positions and both market leaves in entry order; market proofs out of order, missing, extra or
 * from another version, and an empty slot, are refused.
 */
class EscapeProofsV3Test {
  static final L1Address OWNER = L1Address.fromHex("0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc");

  @Test
  void buildsTheStructWithTheHeldMarketsInEntryOrderAndRefusesAnyOther(@TempDir Path dir) {
    try (StateStoreV2 store =
        StateStoreV2.open(
            dir, StateStoreOptions.DEFAULT.withKeptVersions(4).withBlockCacheBytes(8 << 20))) {
      PositionList held = PositionList.EMPTY.with(3, 40, -7).with(1, -25, 11);
      AccountV2 account =
          new AccountV2(
              new AccountIdentity(Fr.fromUnsignedLong(5), Fr.fromUnsignedLong(6), OWNER, 2),
              9,
              -1_000,
              held);
      StateBatchV2 b = store.beginBatch();
      b.setMarket(1, market(1_000L << 32, 12));
      b.setMarket(3, market(50L << 32, -4));
      b.setMarket(5, market(7L << 32, 0));
      b.setAccount(42, account);
      b.commit();
      ProofsV2.AccountProof a;
      ProofsV2.MarketProof m1;
      ProofsV2.MarketProof m3;
      ProofsV2.MarketProof m5;
      ProofsV2.AccountProof empty;
      try (StateViewV2 v = store.view()) {
        a = v.accountProof(42);
        m1 = v.marketProof(1);
        m3 = v.marketProof(3);
        m5 = v.marketProof(5);
        empty = v.accountProof(43);
      }

      ZkPerpRollupV3.Proof p = EscapeProofs.v3(a, List.of(m3, m1));
      assertThat(p.account.accountId).isEqualTo(BigInteger.valueOf(42));
      assertThat(p.account.collateral).isEqualTo(BigInteger.valueOf(-1_000));
      assertThat(p.account.nonce).isEqualTo(BigInteger.valueOf(9));
      assertThat(p.account.identity.feeTier).isEqualTo(BigInteger.TWO);
      assertThat(p.account.identity.l1Owner).isEqualToIgnoringCase(OWNER.toHex());
      assertThat(p.account.positions)
          .containsExactlyElementsOf(
              java.util.Arrays.stream(held.pack()).map(Fr::toBigInteger).toList());
      assertThat(p.account.accountSiblings).hasSize(24);
      assertThat(p.markets).extracting(m -> m.marketId.intValue()).containsExactly(3, 1);
      assertThat(p.markets.get(0).siblings).hasSize(6);
      assertThat(p.markets.get(1).market.oraclePrice).isEqualTo(BigInteger.valueOf(1_000L << 32));
      assertThat(p.markets.get(0).market.fundingIndex).isEqualTo(BigInteger.valueOf(-4));
      assertThat(p.markets.get(1).market.riskHash)
          .isEqualTo(m1.market().risk().hash().toBigInteger());

      refused(a, List.of(m1, m3), "holds market 3");
      refused(a, List.of(m3), "holds market 1");
      refused(a, List.of(m3, m1, m5), "3 market proofs for 2 held markets");
      refused(empty, List.of(), "does not exist");
      // market 1 changed in a later version: its proof leads to another root
      StateBatchV2 later = store.beginBatch();
      later.setMarket(1, market(1_001L << 32, 12));
      later.commit();
      ProofsV2.MarketProof newer;
      try (StateViewV2 v = store.view()) {
        newer = v.marketProof(1);
      }
      refused(a, List.of(m3, newer), "does not verify");
    }
  }

  private static void refused(
      ProofsV2.AccountProof a, List<ProofsV2.MarketProof> markets, String message) {
    assertThatThrownBy(() -> EscapeProofs.v3(a, markets))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  private static MarketV2 market(long price, long fundingIndex) {
    return new MarketV2(
        price,
        1_700_000_000L,
        fundingIndex,
        1_700_000_000L,
        65,
        new MarketRiskV2(
            50_000, 30_000, 100, 10, 5_000, 1_000_000, 2_000_000, 60, 5, 50_000, 60, 1_000));
  }
}
