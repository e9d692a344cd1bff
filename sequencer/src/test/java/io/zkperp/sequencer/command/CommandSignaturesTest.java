package io.zkperp.sequencer.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CommandSignaturesTest {
  private static byte[] signature() {
    byte[] s = new byte[PlaceOrder.SIGNATURE_BYTES];
    Arrays.fill(s, (byte) 0xAB);
    return s;
  }

  @Test
  void signedCommandsRefuseAnotherLengthAndCopyTheBytes() {
    assertThatThrownBy(() -> new SignedWithdrawCollateral(1, 10, 0, new byte[63]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("signature must be 64 bytes, got 63");
    assertThatThrownBy(() -> new SignedTransferCollateral(1, 2, 10, 0, new byte[0]))
        .hasMessage("signature must be 64 bytes, got 0");

    byte[] s = signature();
    SignedTransferCollateral t = new SignedTransferCollateral(1, 2, 10, 0, s);
    s[0] = 0;
    assertThat(t.signature()[0]).isEqualTo((byte) 0xAB);
    assertThat(t).isEqualTo(new SignedTransferCollateral(1, 2, 10, 0, signature()));
    assertThat(t).isNotEqualTo(new SignedTransferCollateral(1, 2, 10, 0, s));
    assertThat(t.hashCode())
        .isEqualTo(new SignedTransferCollateral(1, 2, 10, 0, signature()).hashCode());
    assertThatThrownBy(() -> new SignedWithdrawCollateral(1, 10, 0, TraderSignature.NONE))
        .hasMessage("signature must be 64 bytes, got none");
  }

  @Test
  void cancelsTakeSixtyFourBytesOrNone() {
    assertThatThrownBy(() -> new CancelAll(1, 0, 5, new byte[32]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("signature must be 64 bytes or none, got 32");
    assertThatThrownBy(() -> new CancelOrder(1, false, 7, 5, new byte[65]))
        .hasMessage("signature must be 64 bytes or none, got 65");

    assertThat(new CancelOrder(1, false, 7).signed()).isFalse();
    assertThat(new CancelOrder(1, false, 7, 5, signature()).signed()).isTrue();
  }

  @Test
  void cancelsShowValidityAndTheSignaturesFirstBytesOnlyWhenSigned() {
    assertThat(new CancelAll(3, CancelAll.ALL_MARKETS, 99, signature()).toString())
        .isEqualTo(
            "CancelAll[account=3, market=-1, validUntil=99, authorisation=abababababababab…]");
    assertThat(new CancelOrder(3, true, 7).toString())
        .isEqualTo(
            "CancelOrder[account=3, byClientOrderId=true, id=7, validUntil=0, authorisation=none]");
  }
}
