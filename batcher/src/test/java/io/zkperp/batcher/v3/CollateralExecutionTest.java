package io.zkperp.batcher.v3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.eddsa.EdDsaPublicKey;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.message.TransferMessage;
import io.zkperp.protocol.message.WithdrawalMessage;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.protocol.state.v2.AccountIdentity;
import io.zkperp.protocol.state.v2.AccountV2;
import io.zkperp.protocol.state.v2.GlobalV2;
import io.zkperp.protocol.state.v2.MarketRiskV2;
import io.zkperp.protocol.state.v2.MarketV2;
import io.zkperp.protocol.state.v2.PositionList;
import io.zkperp.state.v2.StateBatchV2;
import io.zkperp.state.v2.StateRootsV2;
import io.zkperp.state.v2.StateStoreV2;
import io.zkperp.state.v2.StateViewV2;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CollateralExecution} on a real RocksDB {@code StateStoreV2}, with figures worked out by
 * hand and transactions signed in Java: account 7 holds collateral 10,000 and a long of 10 in
 * market 1 at price 1,300 with funding pending of 3 per unit (credit −30); its free collateral is
 * 10,000 − 30 + 13,000 (value) − 650 (5% initial margin) = 22,320.
 */
class CollateralExecutionTest {
  @TempDir Path dir;

  private static final MessageDomain DOMAIN = MessageDomain.DEMO;
  private static final EdDsaPrivateKey KEY7 = EdDsaPrivateKey.fromSeed(seed(7));
  private static final EdDsaPrivateKey KEY8 = EdDsaPrivateKey.fromSeed(seed(8));
  private static final long INDEX = -50_000_000_000L;

  private static byte[] seed(int i) {
    byte[] s = new byte[32];
    Arrays.fill(s, (byte) i);
    return s;
  }

  private static L1Address owner(int i) {
    byte[] b = new byte[20];
    b[0] = (byte) 0xa0;
    b[19] = (byte) i;
    return L1Address.of(b);
  }

  private static AccountIdentity identity(EdDsaPrivateKey k, int i) {
    EdDsaPublicKey p = k.publicKey();
    return new AccountIdentity(p.point().x(), p.point().y(), owner(i), 0);
  }

  private static MarketV2 market() {
    return new MarketV2(
        1_300L << 32,
        1_800_000_000,
        INDEX,
        1_799_990_000,
        5_000,
        new MarketRiskV2(
            50_000, 30_000, 100, 50, 10_000, 1_000_000, 1_000_000, 60, 5, 100_000, 3_600, 1_000));
  }

  private static final AccountV2 ACCOUNT7 =
      new AccountV2(
          identity(KEY7, 7), 4, 10_000, PositionList.EMPTY.with(1, 10, INDEX - (3L << 32)));

  private StateStoreV2 open() {
    StateStoreV2 s = StateStoreV2.open(dir, TradeVectors.options());
    StateBatchV2 b = s.beginBatch();
    b.setMarket(1, market());
    b.setAccount(7, ACCOUNT7);
    b.setGlobal(GlobalV2.GENESIS);
    b.commit();
    return s;
  }

  private static WithdrawalTransaction withdrawal(long amount, MessageDomain signedFor) {
    WithdrawalMessage m = new WithdrawalMessage(7, owner(7), amount, 4);
    return new WithdrawalTransaction(m, m.sign(KEY7, signedFor));
  }

  @Test
  void aWithdrawalOfExactlyTheFreeCollateralSettlesFundingAndOneMoreIsRefused() throws Exception {
    try (StateStoreV2 s = open()) {
      StateBatchV2 b = s.beginBatch();
      StateRootsV2 before = b.roots();
      CollateralExecution exec = new CollateralExecution(DOMAIN);
      assertThatThrownBy(() -> exec.execute(b, withdrawal(22_321, DOMAIN)))
          .isInstanceOfSatisfying(
              CollateralRefusedException.class,
              e ->
                  assertThat(e.reasons()).containsExactly(CollateralRefusalReason.FREE_COLLATERAL));
      assertThat(b.account(7)).isEqualTo(ACCOUNT7);
      assertThat(b.roots()).isEqualTo(before);

      CollateralStepWitness w = exec.execute(b, withdrawal(22_320, DOMAIN));
      AccountV2 after = b.account(7);
      assertThat(after.collateral()).isEqualTo(10_000 - 30 - 22_320);
      assertThat(after.nonce()).isEqualTo(5);
      assertThat(after.positions().entries().get(0).fundingSnapshot()).isEqualTo(INDEX);
      assertThat(after.positions().entries().get(0).size()).isEqualTo(10);
      byte[] data =
          ByteBuffer.allocate(32)
              .put((byte) 2)
              .put(new byte[] {0, 0, 7})
              .putLong(22_320)
              .put(owner(7).toBytes())
              .array();
      assertThat(w.publicData()).isEqualTo(data);
      assertThat(w.priorityOperation()).isNull();
      assertThat(w.isConsistent()).isTrue();
      assertThat(w.openings().get(0).before()).isEqualTo(ACCOUNT7);

      // nothing left: a forced withdrawal of 1 pays 0, is consumed and changes nothing
      ForcedWithdrawalTransaction f = new ForcedWithdrawalTransaction(7, owner(7), 1);
      StateRootsV2 mid = b.roots();
      CollateralStepWitness fw = exec.execute(b, f);
      assertThat(fw.paid()).isZero();
      assertThat(fw.rootsAfter()).isEqualTo(mid);
      assertThat(Arrays.copyOfRange(fw.publicData(), 4, 12)).isEqualTo(new byte[8]);
      assertThat(fw.priorityOperation()).isNotNull();
      assertThat(b.commit()).isEqualTo(mid);
      try (StateViewV2 v = s.view()) {
        assertThat(v.accountProof(7).path().siblings())
            .isEqualTo(w.openings().get(0).path().siblings());
        assertThat(v.account(7)).isEqualTo(after);
      }
    }
  }

  @Test
  void signaturesBindTheDomainAndEveryField() throws Exception {
    try (StateStoreV2 s = open()) {
      StateBatchV2 b = s.beginBatch();
      StateRootsV2 before = b.roots();
      MessageDomain other = MessageDomain.of(1, owner(99));
      CollateralExecution exec = new CollateralExecution(DOMAIN);
      WithdrawalTransaction otherDomain = withdrawal(10, other);
      byte[] flipped = withdrawal(10, DOMAIN).signature();
      flipped[40] ^= 1;
      WithdrawalTransaction badBit =
          new WithdrawalTransaction(new WithdrawalMessage(7, owner(7), 10, 4), flipped);
      TransferMessage m = new TransferMessage(7, 8, 10, 4);
      TransferTransaction byOtherKey = new TransferTransaction(m, m.sign(KEY8, DOMAIN));
      for (CollateralTransaction tx : new CollateralTransaction[] {otherDomain, badBit}) {
        assertThatThrownBy(() -> exec.execute(b, tx))
            .isInstanceOfSatisfying(
                CollateralRefusedException.class,
                e -> assertThat(e.reasons()).containsExactly(CollateralRefusalReason.SIGNATURE));
      }
      // account 8 does not exist yet: the transfer names no account it could credit
      assertThatThrownBy(() -> exec.execute(b, byOtherKey))
          .isInstanceOfSatisfying(
              CollateralRefusedException.class,
              e -> assertThat(e.reasons()).containsExactly(CollateralRefusalReason.NO_ACCOUNT));
      assertThat(b.roots()).isEqualTo(before);

      // a deposit creates account 8 in its empty slot; then the transfer is refused for its key
      EdDsaPublicKey p8 = KEY8.publicKey();
      DepositTransaction d =
          new DepositTransaction(8, owner(8), p8.point().x(), p8.point().y(), 1_000);
      CollateralStepWitness dw = exec.execute(b, d);
      assertThat(dw.openings().get(0).before()).isNull();
      assertThat(dw.openings().get(0).path().oldLeaf()).isEqualTo(Fr.ZERO);
      assertThat(b.account(8))
          .isEqualTo(new AccountV2(identity(KEY8, 8), 0, 1_000, PositionList.EMPTY));
      assertThat(dw.publicData()).containsExactly(1);
      StateRootsV2 afterDeposit = b.roots();
      assertThatThrownBy(() -> exec.execute(b, byOtherKey))
          .isInstanceOfSatisfying(
              CollateralRefusedException.class,
              e -> assertThat(e.reasons()).containsExactly(CollateralRefusalReason.SIGNATURE));
      assertThat(b.roots()).isEqualTo(afterDeposit);
      // signed by the sender: account 8 credited, its path taken after the sender's update
      TransferTransaction ok = new TransferTransaction(m, m.sign(KEY7, DOMAIN));
      CollateralStepWitness tw = exec.execute(b, ok);
      assertThat(tw.isConsistent()).isTrue();
      assertThat(tw.openings()).hasSize(2);
      assertThat(b.account(8).collateral()).isEqualTo(1_010);
      assertThat(b.account(7).collateral()).isEqualTo(10_000 - 30 - 10);
    }
  }
}
