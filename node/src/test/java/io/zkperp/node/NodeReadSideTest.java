package io.zkperp.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkperp.protocol.eddsa.EdDsa;
import io.zkperp.sequencer.command.CreditL1Deposit;
import io.zkperp.sequencer.command.ServeL1ForcedWithdrawal;
import io.zkperp.sequencer.command.SignedTransferCollateral;
import io.zkperp.sequencer.command.SignedWithdrawCollateral;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The accounts' snapshot state and the settling node's read side round-trip, or are refused. */
class NodeReadSideTest {

  static L2Accounts sample() {
    L2Accounts a = new L2Accounts();
    var alice = SettlementTest.ALICE_KEY.publicKey().point();
    var bob = SettlementTest.BOB_KEY.publicKey().point();
    a.apply(new CreditL1Deposit(0, 7, SettlementTest.ALICE, alice.x(), alice.y(), 600));
    a.apply(new CreditL1Deposit(1, 3, SettlementTest.BOB, bob.x(), bob.y(), 200));
    a.apply(new ServeL1ForcedWithdrawal(2, 7, SettlementTest.ALICE, 100));
    byte[] sig = EdDsa.sign(SettlementTest.ALICE_KEY, io.zkperp.protocol.field.Fr.ONE).encode();
    a.apply(new SignedTransferCollateral(7, 3, 150, 0, sig));
    a.apply(new SignedWithdrawCollateral(7, 50, 1, sig));
    return a;
  }

  @Test
  void accountsRestoreToTheSameKeysOwnersNoncesAndPriorityIndex() throws IOException {
    L2Accounts a = sample();
    L2Accounts b = new L2Accounts();
    b.restore(a.encode());
    assertThat(b.nextPriorityIndex()).isEqualTo(3);
    assertThat(b.account(7)).isEqualTo(a.account(7));
    assertThat(b.account(7).nextNonce()).isEqualTo(2);
    assertThat(b.account(3)).isEqualTo(a.account(3));
    assertThat(b.account(3).nextNonce()).isZero();
    assertThat(b.publicKey(3)).isEqualTo(SettlementTest.BOB_KEY.publicKey());
    assertThat(b.account(5)).isNull();
    assertThat(b.encode()).isEqualTo(a.encode());
    // the restored book goes on exactly as the original
    byte[] sig = EdDsa.sign(SettlementTest.BOB_KEY, io.zkperp.protocol.field.Fr.ONE).encode();
    a.apply(new SignedWithdrawCollateral(3, 10, 0, sig));
    b.apply(new SignedWithdrawCollateral(3, 10, 0, sig));
    assertThat(b.encode()).isEqualTo(a.encode());
  }

  @Test
  void aCutOrPaddedAccountsStateIsRefusedAndLeavesTheBookEmpty() {
    byte[] good = sample().encode();
    L2Accounts b = new L2Accounts();
    assertThatThrownBy(() -> b.restore(Arrays.copyOf(good, good.length - 1)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("cut short");
    assertThat(b.account(7)).isNull();
    assertThat(b.nextPriorityIndex()).isZero();
    assertThatThrownBy(() -> b.restore(Arrays.copyOf(good, good.length + 1)))
        .isInstanceOf(IOException.class);
    byte[] v2 = good.clone();
    v2[3] = 2;
    assertThatThrownBy(() -> b.restore(v2)).hasMessageContaining("version 2");
  }

  @Test
  void readSideRoundTripsAndRefusesAnotherNodesReadSide() throws IOException {
    NodeReadSide r = new NodeReadSide(new byte[] {1, 2, 3}, sample().encode());
    NodeReadSide back = NodeReadSide.decode(r.encode());
    assertThat(back.readModel()).containsExactly(1, 2, 3);
    assertThat(back.accounts()).isEqualTo(r.accounts());
    assertThatThrownBy(() -> NodeReadSide.decode(null)).hasMessageContaining("no read side");
    assertThatThrownBy(() -> NodeReadSide.decode(new byte[] {9, 9, 9, 9, 0, 0, 0, 1, 0, 0, 0, 0}))
        .hasMessageContaining("not a settling node's");
    byte[] cut = Arrays.copyOf(r.encode(), r.encode().length - 2);
    assertThatThrownBy(() -> NodeReadSide.decode(cut)).isInstanceOf(IOException.class);
  }

  @Test
  void aV3ReadSideCarriesTheTranslatorStateAndAV2OneStaysVersion1() throws IOException {
    byte[] translator = {7, 8, 9, 10};
    NodeReadSide v3 = new NodeReadSide(new byte[] {1, 2, 3}, sample().encode(), translator);
    byte[] bytes = v3.encode();
    assertThat(bytes[7]).as("version 2").isEqualTo((byte) 2);
    NodeReadSide back = NodeReadSide.decode(bytes);
    assertThat(back.readModel()).containsExactly(1, 2, 3);
    assertThat(back.accounts()).isEqualTo(v3.accounts());
    assertThat(back.translator()).containsExactly(7, 8, 9, 10);
    byte[] v2 = new NodeReadSide(new byte[] {1, 2, 3}, sample().encode()).encode();
    assertThat(v2[7]).as("a format v2 node's read side is written as before").isEqualTo((byte) 1);
    assertThat(NodeReadSide.decode(v2).translator()).isNull();
    assertThatThrownBy(() -> NodeReadSide.decode(Arrays.copyOf(bytes, bytes.length - 1)))
        .hasMessageContaining("v3 translator state length");
    assertThatThrownBy(() -> NodeReadSide.decode(Arrays.copyOf(bytes, bytes.length + 1)))
        .hasMessageContaining("bytes too many");
    byte[] v9 = bytes.clone();
    v9[7] = 9;
    assertThatThrownBy(() -> NodeReadSide.decode(v9)).hasMessageContaining("version 9");
  }

  @Test
  void ownersAreTheBoundAccountsFirstDepositOwners() {
    assertThat(sample().owners())
        .containsOnlyKeys(7, 3)
        .containsEntry(7, SettlementTest.ALICE)
        .containsEntry(3, SettlementTest.BOB);
  }
}
