package io.zkperp.l1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeployParamsV3Test {
  private static final String A = "0x00000000000000000000000000000000000000a1";
  private static final long DAY = DeployParams.REACTION_MARGIN_SECONDS;
  private static final BigInteger ROOT = BigInteger.valueOf(12_345);

  @Test
  void theKeysDomainIsAnvilAccountZerosContractAtNonceTwo() {
    String account0 = DevAccounts.account(0).getAddress();
    assertThat(RollupV3Deployer.rollupAddress(account0, BigInteger.ZERO))
        .isEqualToIgnoringCase(DeployParamsV3.V3_TINY_KEYS.rollup());
    assertThat(RollupV3Deployer.rollupAddress(account0, BigInteger.ONE))
        .isNotEqualToIgnoringCase(DeployParamsV3.V3_TINY_KEYS.rollup());
    assertThat(DeployParamsV3.V3_TINY_KEYS.chainId()).isEqualTo(31_337);
  }

  @Test
  void devnetParametersNameTheKeysDomainAndTheShortestTimelock() {
    DeployParamsV3 p = DeployParamsV3.devnet(A, A, 3_600, ROOT, 1);
    assertThat(p.shape()).isEqualTo("v3-tiny");
    assertThat(p.verifierTimelockSeconds()).isEqualTo(3_600 + DAY);
    assertThat(p.forcedRequestFeeWei()).isEqualTo(DeployParams.DEVNET_FORCED_REQUEST_FEE_WEI);
    assertThat(p.keysDomain()).contains(DeployParamsV3.V3_TINY_KEYS);
  }

  @Test
  void refusesWhatTheConstructorWouldRefuseNamingTheField() {
    BigInteger fee = BigInteger.ZERO;
    Optional<DeployParamsV3.KeysDomain> none = Optional.empty();
    assertThatThrownBy(
            () -> new DeployParamsV3("v3-devnet", A, A, 10, 10 + DAY, fee, ROOT, 1, none))
        .hasMessageContaining("shape must be v3-tiny");
    assertThatThrownBy(() -> new DeployParamsV3("v3-tiny", A, A, 0, DAY, fee, ROOT, 1, none))
        .hasMessageContaining("forcedActionDeadlineSeconds");
    assertThatThrownBy(() -> new DeployParamsV3("v3-tiny", A, A, 10, DAY, fee, ROOT, 1, none))
        .hasMessageContaining("verifierTimelockSeconds");
    assertThatThrownBy(
            () ->
                new DeployParamsV3(
                    "v3-tiny", A, A, 10, 10 + DAY, BigInteger.valueOf(-1), ROOT, 1, none))
        .hasMessageContaining("forcedRequestFeeWei");
    assertThatThrownBy(
            () ->
                new DeployParamsV3(
                    "v3-tiny", A, A, 10, 10 + DAY, fee, DeployParamsV3.BN254_R, 1, none))
        .hasMessageContaining("genesisStateRoot");
    assertThatThrownBy(() -> new DeployParamsV3("v3-tiny", A, A, 10, 10 + DAY, fee, ROOT, 0, none))
        .hasMessageContaining("firstAccountId");
    assertThat(new DeployParamsV3("v3-tiny", A, A, 10, 10 + DAY, fee, ROOT, 1, none).shape())
        .isEqualTo("v3-tiny");
  }
}
