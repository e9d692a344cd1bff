package io.zkperp.l1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkperp.l1.contracts.ZkPerpRollupV3;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameterName;

/**
 * {@link RollupV3Deployer} on a fresh anvil (chain 31337): dev account 0 deploys at the v3-tiny
 * keys' rollup address and the rollup holds the genesis; a second deployment by the same account
 * (nonce 3) is refused before anything is sent; on another chain id it is refused too.
 */
class RollupV3DeployerIT {
  private static final BigInteger ROOT = new BigInteger("1234567890123456789012345678901234567890");

  @Test
  void deploysAtTheKeysAddressOnAFreshChainAndRefusesAnyOtherNonce() throws Exception {
    try (AnvilProcess anvil =
            AnvilProcess.start(AnvilProcess.launcherFromSystemProperty(), 31_337, 60);
        L1Session l1 = L1Session.connect(anvil.rpcUrl())) {
      Credentials deployer = DevAccounts.account(0);
      Credentials operator = DevAccounts.account(1);
      DeployParamsV3 params =
          DeployParamsV3.devnet(deployer.getAddress(), operator.getAddress(), 3_600, ROOT, 1);
      RollupDeployment d = RollupV3Deployer.deploy(l1, deployer, params);
      assertThat(d.rollup()).isEqualToIgnoringCase(DeployParamsV3.V3_TINY_KEYS.rollup());
      assertThat(d.shape()).isEqualTo("v3-tiny");
      assertThat(d.chainId()).isEqualTo(31_337);
      ZkPerpRollupV3 rollup =
          ZkPerpRollupV3.load(d.rollup(), l1.web3j(), l1.transactionManager(operator), l1.gas());
      assertThat(rollup.stateRoot().send()).isEqualTo(ROOT);
      assertThat(rollup.nextAccountId().send()).isEqualTo(BigInteger.ONE);
      assertThat(rollup.verifier().send()).isEqualToIgnoringCase(d.verifier());
      assertThat(rollup.COLLATERAL().send()).isEqualToIgnoringCase(d.collateral());
      assertThat(rollup.hasRole(rollup.OPERATOR_ROLE().send(), operator.getAddress()).send())
          .isTrue();
      assertThat(rollup.hasRole(rollup.OPERATOR_ROLE().send(), deployer.getAddress()).send())
          .isFalse();
      assertThat(nonce(l1, deployer)).isEqualTo(3);

      // the same account again: its nonce is 3, the rollup would be elsewhere; nothing is sent
      assertThatThrownBy(() -> RollupV3Deployer.deploy(l1, deployer, params))
          .isInstanceOf(WrongDeploymentAddressException.class)
          .hasMessageContaining("has nonce 3")
          .hasMessageContaining(
              RollupV3Deployer.rollupAddress(deployer.getAddress(), BigInteger.valueOf(3)))
          .hasMessageContaining("nothing was sent");
      assertThat(nonce(l1, deployer)).isEqualTo(3);
    }
  }

  @Test
  void anotherChainIsRefusedBeforeAnythingIsSent() throws Exception {
    try (AnvilProcess anvil =
            AnvilProcess.start(AnvilProcess.launcherFromSystemProperty(), 31_338, 60);
        L1Session l1 = L1Session.connect(anvil.rpcUrl())) {
      Credentials deployer = DevAccounts.account(0);
      DeployParamsV3 params =
          DeployParamsV3.devnet(deployer.getAddress(), deployer.getAddress(), 3_600, ROOT, 1);
      assertThatThrownBy(() -> RollupV3Deployer.deploy(l1, deployer, params))
          .isInstanceOf(WrongDeploymentAddressException.class)
          .hasMessageContaining("the chain is 31338");
      assertThat(nonce(l1, deployer)).isZero();
    }
  }

  private static long nonce(L1Session l1, Credentials who) throws Exception {
    return l1.web3j()
        .ethGetTransactionCount(who.getAddress(), DefaultBlockParameterName.LATEST)
        .send()
        .getTransactionCount()
        .longValueExact();
  }
}
