package io.zkperp.prover;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NativeErrorMappingTest {

  @Test
  void everyCodeHasItsNumber() {
    for (NativeErrorCode c : NativeErrorCode.values()) {
      if (c != NativeErrorCode.UNKNOWN) {
        assertThat(NativeErrorCode.of(c.code())).isEqualTo(c);
      }
    }
    assertThat(NativeErrorCode.of(99)).isEqualTo(NativeErrorCode.UNKNOWN);
    assertThat(NativeErrorCode.of(-1)).isEqualTo(NativeErrorCode.UNKNOWN);
  }

  @Test
  void typedNativeErrorsBecomeTypedExceptions() {
    assertThat(NativeProver.exception(1, 40, "bad"))
        .isInstanceOfSatisfying(
            InvalidWitnessException.class, e -> assertThat(e.offset()).isEqualTo(40));
    assertThat(NativeProver.exception(2, 3, "bad signature"))
        .isInstanceOfSatisfying(
            UnsatisfiableWitnessException.class,
            e -> {
              assertThat(e.txIndex()).isEqualTo(3);
              assertThat(e).hasMessage("bad signature");
            });
    assertThat(NativeProver.exception(2, -1, "public data"))
        .isInstanceOfSatisfying(
            UnsatisfiableWitnessException.class, e -> assertThat(e.txIndex()).isEqualTo(-1));
    assertThat(NativeProver.exception(3, -1, "gnark version"))
        .isInstanceOf(ProvingKeyMismatchException.class);
    for (int code : new int[] {4, 5, 6, 7, 8}) {
      assertThat(NativeProver.exception(code, -1, "x"))
          .isInstanceOfSatisfying(
              NativeProverException.class, e -> assertThat(e.code().code()).isEqualTo(code));
    }
    assertThat(NativeProver.exception(42, -1, "x"))
        .isInstanceOfSatisfying(
            NativeProverException.class,
            e -> {
              assertThat(e.code()).isEqualTo(NativeErrorCode.UNKNOWN);
              assertThat(e).hasMessageContaining("code 42");
            });
  }
}
