package io.zkperp.protocol.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkperp.protocol.encoding.EncodingError;
import io.zkperp.protocol.encoding.InvalidEncodingException;
import io.zkperp.protocol.field.Fr;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** Binary forms of the state records round-trip; malformed input is refused with a typed error. */
class RecordEncodingTest {
  @Property(tries = 300)
  void recordsRoundTrip(
      @ForAll long a,
      @ForAll long b,
      @ForAll long c,
      @ForAll long d,
      @ForAll long e,
      @ForAll byte[] owner) {
    byte[] o = new byte[20];
    System.arraycopy(owner, 0, o, 0, Math.min(20, owner.length));
    Account account = new Account(Fr.fromLong(a), Fr.fromLong(b), L1Address.of(o), c, d);
    assertThat(Account.fromBytes(account.toBytes())).isEqualTo(account);
    Position p = new Position(a, b);
    assertThat(Position.fromBytes(p.toBytes())).isEqualTo(p);
    if (c != 0) {
      Fill f = new Fill(c, d);
      assertThat(Fill.fromBytes(f.toBytes())).isEqualTo(f);
      assertThat(f.slot()).isEqualTo((int) (c & 0xffff));
    }
    Market m = new Market(a, b, c, d, e, new MarketRisk(a, b, c, d, e, a ^ b, c ^ d));
    assertThat(Market.fromBytes(m.toBytes())).isEqualTo(m);
    GlobalState g = new GlobalState(a, e);
    assertThat(GlobalState.fromBytes(g.toBytes())).isEqualTo(g);
    assertThat(L1Address.fromField(L1Address.of(o).toField())).isEqualTo(L1Address.of(o));
    assertThat(L1Address.fromHex(L1Address.of(o).toHex())).isEqualTo(L1Address.of(o));
  }

  @Test
  void zeroSizePositionIsTheEmptyLeaf() {
    assertThat(new Position(0, 77)).isEqualTo(Position.NONE);
    assertThat(new Position(0, 77).leafHash()).isEqualTo(Fr.ZERO);
    assertThat(new Position(1, 77).leafHash()).isNotEqualTo(Fr.ZERO);
  }

  @Test
  void malformedRecordsAreRefused() {
    assertThatThrownBy(() -> Account.fromBytes(new byte[99]))
        .isInstanceOfSatisfying(
            InvalidEncodingException.class,
            e -> assertThat(e.error()).isEqualTo(EncodingError.WRONG_LENGTH));
    byte[] nonCanonicalKey = new Account(Fr.ZERO, Fr.ZERO, L1Address.ZERO, 0, 0).toBytes();
    java.util.Arrays.fill(nonCanonicalKey, 0, 32, (byte) 0xff);
    assertThatThrownBy(() -> Account.fromBytes(nonCanonicalKey))
        .isInstanceOfSatisfying(
            InvalidEncodingException.class,
            e -> assertThat(e.error()).isEqualTo(EncodingError.NON_CANONICAL_FIELD_ELEMENT));
    assertThatThrownBy(() -> new Fill(0, 5))
        .isInstanceOfSatisfying(
            InvalidEncodingException.class,
            e -> assertThat(e.error()).isEqualTo(EncodingError.OUT_OF_RANGE));
    assertThatThrownBy(() -> Position.fromBytes(new byte[17]))
        .isInstanceOf(InvalidEncodingException.class);
    assertThatThrownBy(() -> Market.fromBytes(new byte[95]))
        .isInstanceOf(InvalidEncodingException.class);
    assertThatThrownBy(() -> GlobalState.fromBytes(new byte[0]))
        .isInstanceOf(InvalidEncodingException.class);
    assertThatThrownBy(() -> L1Address.fromHex("0x1234"))
        .isInstanceOfSatisfying(
            InvalidEncodingException.class,
            e -> assertThat(e.error()).isEqualTo(EncodingError.MALFORMED_TEXT));
    assertThatThrownBy(() -> L1Address.fromField(Fr.ONE.neg()))
        .isInstanceOfSatisfying(
            InvalidEncodingException.class,
            e -> assertThat(e.error()).isEqualTo(EncodingError.OUT_OF_RANGE));
  }

  @Test
  void merkleProofRecomputesAndRejectsBadIndices() {
    List<Fr> siblings = new ArrayList<>();
    for (int h = 0; h < 4; h++) {
      siblings.add(StateLayout.emptySubtree(h));
    }
    MerkleProof empty = new MerkleProof(5, Fr.ZERO, siblings);
    assertThat(empty.verifies(StateLayout.emptySubtree(4))).isTrue();
    assertThat(new MerkleProof(5, Fr.ONE, siblings).verifies(StateLayout.emptySubtree(4)))
        .isFalse();
    assertThatThrownBy(() -> new MerkleProof(16, Fr.ZERO, siblings))
        .isInstanceOfSatisfying(
            InvalidEncodingException.class,
            e -> assertThat(e.error()).isEqualTo(EncodingError.OUT_OF_RANGE));
    assertThatThrownBy(() -> new MerkleProof(-1, Fr.ZERO, siblings))
        .isInstanceOf(InvalidEncodingException.class);
  }
}
