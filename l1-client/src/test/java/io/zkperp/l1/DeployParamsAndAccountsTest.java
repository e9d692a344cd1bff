package io.zkperp.l1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeployParamsAndAccountsTest {
  private static final String A = "0x00000000000000000000000000000000000000a1";

  @Test
  void devAccountsAreTheWellKnownDevelopmentKeys() {
    // Published by anvil and Hardhat for the mnemonic "test test ... junk".
    assertThat(DevAccounts.account(0).getAddress())
        .isEqualToIgnoringCase("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    assertThat(DevAccounts.account(1).getAddress())
        .isEqualToIgnoringCase("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
    assertThatThrownBy(() -> DevAccounts.account(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  private static final long DAY = DeployParams.REACTION_MARGIN_SECONDS;

  @Test
  void devnetParametersHaveTheShortestTimelockAllowedAndAFee() {
    DeployParams p = DeployParams.devnet("devnet", A, A, 600);
    assertThat(DAY).isEqualTo(86_400);
    assertThat(p.verifierTimelockSeconds()).isEqualTo(600 + DAY);
    assertThat(p.forcedRequestFeeWei()).isEqualTo(BigInteger.TEN.pow(15));
    assertThat(p.collateral()).isEmpty();
  }

  @Test
  void refusesWhatTheConstructorWouldRefuse() {
    BigInteger fee = BigInteger.ONE;
    assertThatThrownBy(() -> new DeployParams("huge", A, A, 10, 10 + DAY, fee, Optional.empty()))
        .hasMessageContaining("shape");
    assertThatThrownBy(() -> new DeployParams("tiny", A, A, 0, DAY, fee, Optional.empty()))
        .hasMessageContaining("forcedActionDeadlineSeconds");
    assertThatThrownBy(
            () -> new DeployParams("tiny", A, A, 1L << 32, 1L << 33, fee, Optional.empty()))
        .hasMessageContaining("forcedActionDeadlineSeconds");
    // The reaction margin: one second short is refused, the boundary accepted.
    assertThatThrownBy(
            () -> new DeployParams("tiny", A, A, 20, 20 + DAY - 1, fee, Optional.empty()))
        .hasMessageContaining("verifierTimelockSeconds");
    assertThat(new DeployParams("tiny", A, A, 20, 20 + DAY, fee, Optional.empty()))
        .extracting(DeployParams::verifierTimelockSeconds)
        .isEqualTo(20 + DAY);
    assertThatThrownBy(
            () ->
                new DeployParams(
                    "tiny", A, A, 20, 20 + DAY, BigInteger.valueOf(-1), Optional.empty()))
        .hasMessageContaining("forcedRequestFeeWei");
  }
}
