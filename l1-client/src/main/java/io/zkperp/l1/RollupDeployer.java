package io.zkperp.l1;

import io.zkperp.l1.contracts.DevnetBatchVerifier;
import io.zkperp.l1.contracts.TestUSD;
import io.zkperp.l1.contracts.TinyBatchVerifier;
import io.zkperp.l1.contracts.ZkPerpRollup;
import java.math.BigInteger;
import org.web3j.crypto.Credentials;
import org.web3j.tx.Contract;
import org.web3j.tx.TransactionManager;

/**
 * Deploys the L1 side of zkperp through the generated web3j wrappers: the collateral token (TestUSD
 * unless an ERC-20 is given), the Groth16 verifier exported for the circuit shape, and the rollup
 * wired to both, with its roles. Used by the tests and the devnet.
 *
 * <p>Thread-safety: one deployment at a time per deployer key.
 */
public final class RollupDeployer {
  private RollupDeployer() {}

  /**
   * Deploys and checks the result (the rollup's verifier, token, roles and genesis root).
   *
   * @param session the L1 connection
   * @param deployer the key paying for the deployment
   * @param params what to deploy
   * @return the addresses
   * @throws L1Exception if a deployment fails or the deployed state is not as requested
   */
  public static RollupDeployment deploy(
      L1Session session, Credentials deployer, DeployParams params) {
    TransactionManager tm = session.transactionManager(deployer);
    try {
      String collateral =
          params.collateral().isPresent()
              ? params.collateral().get()
              : TestUSD.deploy(session.web3j(), tm, session.gas()).send().getContractAddress();
      Contract verifier =
          params.shape().equals("tiny")
              ? TinyBatchVerifier.deploy(session.web3j(), tm, session.gas()).send()
              : DevnetBatchVerifier.deploy(session.web3j(), tm, session.gas()).send();
      ZkPerpRollup rollup =
          ZkPerpRollup.deploy(
                  session.web3j(),
                  tm,
                  session.gas(),
                  collateral,
                  verifier.getContractAddress(),
                  params.admin(),
                  params.operator(),
                  BigInteger.valueOf(params.forcedActionDeadlineSeconds()),
                  BigInteger.valueOf(params.verifierTimelockSeconds()),
                  params.forcedRequestFeeWei())
              .send();
      RollupDeployment d =
          new RollupDeployment(
              rollup.getContractAddress(),
              verifier.getContractAddress(),
              collateral,
              params.shape(),
              session.chainId());
      check(rollup, d, params);
      return d;
    } catch (L1Exception e) {
      throw e;
    } catch (Exception e) {
      throw new L1Exception("deployment failed: " + e.getMessage(), e);
    }
  }

  private static void check(ZkPerpRollup rollup, RollupDeployment d, DeployParams params)
      throws Exception {
    RollupTerms terms =
        new RollupTerms(
            rollup.verifier().send(),
            rollup.COLLATERAL().send(),
            rollup.hasRole(rollup.OPERATOR_ROLE().send(), params.operator()).send(),
            rollup.hasRole(rollup.ADMIN_ROLE().send(), params.admin()).send(),
            rollup.FORCED_ACTION_DEADLINE().send().longValueExact(),
            rollup.VERIFIER_TIMELOCK().send().longValueExact(),
            rollup.FORCED_REQUEST_FEE().send());
    if (!terms.matches(
        d,
        params.forcedActionDeadlineSeconds(),
        params.verifierTimelockSeconds(),
        params.forcedRequestFeeWei())) {
      throw new L1Exception(
          "deployed rollup "
              + d.rollup()
              + " does not match its parameters ("
              + terms.describe()
              + ")",
          null);
    }
  }
}
