package io.zkperp.l1;

import io.zkperp.l1.contracts.TestUSD;
import io.zkperp.l1.contracts.V3TinyBatchVerifier;
import io.zkperp.l1.contracts.ZkPerpRollupV3;
import java.math.BigInteger;
import org.web3j.crypto.ContractUtils;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.tx.TransactionManager;

/**
 * Deploys the format v3 L1 side through the generated web3j wrappers, one transaction each from the
 * deployer: TestUSD (the collateral, nonce n), the exported verifier of the v3 shape ({@code
 * V3TinyBatchVerifier}, nonce n + 1) and {@code ZkPerpRollupV3} (nonce n + 2) with a node's genesis
 * (root and first account id; genesis collateral 0, so no funding step). A v3 circuit holds its
 * deployment's chain id and rollup address as constants, so where the parameters name the keys'
 * domain, the chain id and the address the rollup would get (from the deployer's nonce) are checked
 * <em>before</em> anything is sent: a deployer that already sent transactions on a chain cannot
 * reach the address the keys were set up for. After the deployment the rollup is read back
 * (verifier, token, roles, deadlines, fee, genesis root, first account id, state root) as {@link
 * RollupDeployer} does for format v2. Used by the devnet and the node's tests.
 *
 * <p>Thread-safety: one deployment at a time per deployer key.
 */
public final class RollupV3Deployer {
  private RollupV3Deployer() {}

  /**
   * Deploys and checks the result.
   *
   * @param session the L1 connection
   * @param deployer the key paying for the deployment
   * @param params what to deploy
   * @return the addresses (shape {@code v3-tiny})
   * @throws WrongDeploymentAddressException if the chain or the deployer's nonce would put the
   *     rollup elsewhere than the keys' domain (nothing sent)
   * @throws L1Exception if a deployment fails or the deployed state is not as requested
   */
  public static RollupDeployment deploy(
      L1Session session, Credentials deployer, DeployParamsV3 params) {
    try {
      BigInteger nonce =
          session
              .web3j()
              .ethGetTransactionCount(deployer.getAddress(), DefaultBlockParameterName.PENDING)
              .send()
              .getTransactionCount();
      String predicted = rollupAddress(deployer.getAddress(), nonce);
      if (params.keysDomain().isPresent()) {
        requireKeysDomain(session.chainId(), deployer.getAddress(), nonce, predicted, params);
      }
      TransactionManager tm = session.transactionManager(deployer);
      String collateral =
          TestUSD.deploy(session.web3j(), tm, session.gas()).send().getContractAddress();
      String verifier =
          V3TinyBatchVerifier.deploy(session.web3j(), tm, session.gas())
              .send()
              .getContractAddress();
      ZkPerpRollupV3 rollup =
          ZkPerpRollupV3.deploy(
                  session.web3j(),
                  tm,
                  session.gas(),
                  collateral,
                  verifier,
                  params.admin(),
                  params.operator(),
                  new ZkPerpRollupV3.Genesis(
                      params.genesisStateRoot(),
                      BigInteger.valueOf(params.firstAccountId()),
                      BigInteger.ZERO),
                  BigInteger.valueOf(params.forcedActionDeadlineSeconds()),
                  BigInteger.valueOf(params.verifierTimelockSeconds()),
                  params.forcedRequestFeeWei())
              .send();
      RollupDeployment d =
          new RollupDeployment(
              rollup.getContractAddress(), verifier, collateral, params.shape(), session.chainId());
      check(rollup, d, params, predicted);
      return d;
    } catch (L1Exception e) {
      throw e;
    } catch (Exception e) {
      throw new L1Exception("format v3 deployment failed: " + e.getMessage(), e);
    }
  }

  /**
   * The address {@code ZkPerpRollupV3} gets when a deployer with transaction count {@code nonce}
   * runs {@link #deploy}: its contract at nonce + 2.
   *
   * @param deployer the deployer's address
   * @param nonce its transaction count before the deployment
   * @return the rollup's address, 0x-hex, lower case
   */
  public static String rollupAddress(String deployer, BigInteger nonce) {
    return ContractUtils.generateContractAddress(deployer, nonce.add(BigInteger.TWO));
  }

  private static void requireKeysDomain(
      long chainId, String deployer, BigInteger nonce, String predicted, DeployParamsV3 params) {
    DeployParamsV3.KeysDomain keys = params.keysDomain().orElseThrow();
    if (chainId != keys.chainId() || !predicted.equalsIgnoreCase(keys.rollup())) {
      throw new WrongDeploymentAddressException(
          "the "
              + params.shape()
              + " keys are for rollup "
              + keys.rollup()
              + " on chain "
              + keys.chainId()
              + " (the deployer's contract at nonce 2: TestUSD at nonce 0, the verifier at 1,"
              + " the rollup at 2); here the chain is "
              + chainId
              + " and the deployer "
              + deployer
              + " has nonce "
              + nonce
              + ", so the rollup would be at "
              + predicted
              + " and need its own Groth16 setup. Deploy with that account on a new chain"
              + " (a fresh anvil, chain id "
              + keys.chainId()
              + ") before it sends anything else; nothing was sent");
    }
  }

  private static void check(
      ZkPerpRollupV3 rollup, RollupDeployment d, DeployParamsV3 params, String predicted)
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
    BigInteger genesisRoot = rollup.GENESIS_STATE_ROOT().send();
    BigInteger root = rollup.stateRoot().send();
    long firstAccount = rollup.FIRST_ACCOUNT_ID().send().longValueExact();
    long nextAccount = rollup.nextAccountId().send().longValueExact();
    boolean funded = rollup.genesisFunded().send();
    if (!d.rollup().equalsIgnoreCase(predicted)
        || !terms.matches(
            d,
            params.forcedActionDeadlineSeconds(),
            params.verifierTimelockSeconds(),
            params.forcedRequestFeeWei())
        || !genesisRoot.equals(params.genesisStateRoot())
        || !root.equals(params.genesisStateRoot())
        || firstAccount != params.firstAccountId()
        || nextAccount != params.firstAccountId()
        || !funded) {
      throw new L1Exception(
          "deployed rollup "
              + d.rollup()
              + " (expected at "
              + predicted
              + ") does not match its parameters ("
              + terms.describe()
              + ", genesis root "
              + genesisRoot
              + ", state root "
              + root
              + ", first account "
              + firstAccount
              + ", next account "
              + nextAccount
              + ", genesis funded "
              + funded
              + ")",
          null);
    }
  }
}
