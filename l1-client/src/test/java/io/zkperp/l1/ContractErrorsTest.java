package io.zkperp.l1;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class ContractErrorsTest {
  private final ContractErrors errors = ContractErrors.zkperp();

  private static String word(BigInteger v) {
    String hex = v.toString(16);
    return "0".repeat(64 - hex.length()) + hex;
  }

  @Test
  void selectorIsKeccakOfTheSignature() {
    // Known selectors: ERC-20 transfer(address,uint256) = 0xa9059cbb; Error(string) = 0x08c379a0.
    assertThat(ContractErrors.selector("transfer(address,uint256)")).isEqualTo("0xa9059cbb");
    assertThat(ContractErrors.selector("Error(string)")).isEqualTo("0x08c379a0");
  }

  @Test
  void decodesACustomErrorOfTheRollupWithItsArguments() {
    String data =
        ContractErrors.selector("WrongBatchNumber(uint64,uint64)")
            + word(BigInteger.TWO)
            + word(BigInteger.ONE);
    L1RevertException e = errors.decode(data, "commitBatch");
    assertThat(e.errorName()).isEqualTo("WrongBatchNumber");
    assertThat(e.arguments()).containsExactly(BigInteger.TWO, BigInteger.ONE);
    assertThat(e.getMessage()).contains("commitBatch reverted: WrongBatchNumber[2, 1]");
  }

  @Test
  void decodesSignedArguments() {
    // NegativeCollateral(int64): −5 as a two's complement word.
    String data =
        ContractErrors.selector("NegativeCollateral(int64)")
            + word(BigInteger.ONE.shiftLeft(256).subtract(BigInteger.valueOf(5)));
    L1RevertException e = errors.decode(data, "escape");
    assertThat(e.errorName()).isEqualTo("NegativeCollateral");
    assertThat(e.arguments()).containsExactly(BigInteger.valueOf(-5));
  }

  @Test
  void knowsTheErrorsOfEveryShippedAbi() {
    assertThat(errors.knows("InvalidProof")).isTrue();
    assertThat(errors.knows("AlreadyEscaped")).isTrue();
    assertThat(errors.knows("FaucetLimitExceeded")).isTrue(); // TestUSD
    assertThat(errors.knows("ERC20InsufficientAllowance")).isTrue(); // OpenZeppelin, via TestUSD
    assertThat(errors.knows("NoSuchError")).isFalse();
  }

  @Test
  void unknownOrShortDataIsReportedRaw() {
    assertThat(errors.decode("0xdeadbeef", "x").errorName()).isEqualTo(L1RevertException.UNKNOWN);
    assertThat(errors.decode("0xdeadbeef", "x").getMessage()).contains("0xdeadbeef");
    assertThat(errors.decode("0x", "x").errorName()).isEqualTo(L1RevertException.UNKNOWN);
    assertThat(errors.decode(null, "x").errorName()).isEqualTo(L1RevertException.UNKNOWN);
  }
}
