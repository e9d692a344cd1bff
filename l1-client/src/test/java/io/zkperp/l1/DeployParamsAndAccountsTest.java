package io.zkperp.l1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

  @Test
  void devnetParametersHaveATimelockLongerThanTheDeadline() {
    DeployParams p = DeployParams.devnet("devnet", A, A, 600);
    assertThat(p.verifierTimelockSeconds()).isGreaterThan(p.forcedActionDeadlineSeconds());
    assertThat(p.collateral()).isEmpty();
  }

  @Test
  void refusesWhatTheConstructorWouldRefuse() {
    assertThatThrownBy(() -> new DeployParams("huge", A, A, 10, 20, Optional.empty()))
        .hasMessageContaining("shape");
    assertThatThrownBy(() -> new DeployParams("tiny", A, A, 0, 20, Optional.empty()))
        .hasMessageContaining("forcedActionDeadlineSeconds");
    assertThatThrownBy(() -> new DeployParams("tiny", A, A, 1L << 32, 1L << 33, Optional.empty()))
        .hasMessageContaining("forcedActionDeadlineSeconds");
    assertThatThrownBy(() -> new DeployParams("tiny", A, A, 20, 20, Optional.empty()))
        .hasMessageContaining("verifierTimelockSeconds");
  }
}
