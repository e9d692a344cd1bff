package io.zkperp.node.v3;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.l1.DeployParamsV3;
import io.zkperp.l1.DevAccounts;
import io.zkperp.l1.L1Session;
import io.zkperp.l1.RollupDeployment;
import io.zkperp.l1.RollupV3Deployer;
import io.zkperp.l1.contracts.TestUSD;
import io.zkperp.l1.contracts.ZkPerpRollupV3;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.field.Fr;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Optional;
import org.web3j.crypto.Credentials;
import org.web3j.tx.TransactionManager;

/**
 * The fixture deployment on a fresh anvil (chain id 31337), by the node's production deployer
 * ({@link RollupV3Deployer}): account 0 deploys TestUSD (nonce 0), V3TinyBatchVerifier (nonce 1,
 * the bytecode the l1-contracts build exports from the cached v3-tiny keys of the fixture domain)
 * and ZkPerpRollupV3 (nonce 2: the fixture's rollup address, checked before anything is sent and
 * asserted) with a node's genesis root, first account id 1 and genesis collateral 0; account 0 is
 * also the operator. Traders deposit through {@link #deposit}. The test's thread.
 *
 * @param l1 the session
 * @param deployer account 0: admin and operator
 * @param token the TestUSD address
 * @param rollup the rollup, loaded with the deployer's transaction manager
 */
record FixtureRollup(L1Session l1, Credentials deployer, String token, ZkPerpRollupV3 rollup) {
  static final String ADDRESS = "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0";
  static final Path VERIFIER_BIN =
      Path.of("..", "l1-contracts", "target", "abi", "V3TinyBatchVerifier.bin");

  /**
   * Deploys the three contracts.
   *
   * @param l1 a session on a fresh anvil with chain id 31337
   * @param genesisRoot the state root of the node's genesis ({@link EngineGenesis})
   * @return the deployment
   */
  static FixtureRollup deploy(L1Session l1, Fr genesisRoot) throws Exception {
    assertThat(VERIFIER_BIN).as("built by l1-contracts (build.sh)").exists();
    Credentials deployer = DevAccounts.account(0);
    RollupDeployment d =
        RollupV3Deployer.deploy(
            l1,
            deployer,
            new DeployParamsV3(
                DeployParamsV3.V3_TINY,
                deployer.getAddress(),
                deployer.getAddress(),
                604_800,
                691_200,
                BigInteger.ZERO,
                genesisRoot.toBigInteger(),
                1,
                Optional.of(DeployParamsV3.V3_TINY_KEYS)));
    assertThat(d.rollup()).isEqualToIgnoringCase(ADDRESS);
    ZkPerpRollupV3 rollup =
        ZkPerpRollupV3.load(d.rollup(), l1.web3j(), l1.transactionManager(deployer), l1.gas());
    assertThat(rollup.genesisFunded().send()).isTrue();
    assertThat(rollup.stateRoot().send()).isEqualTo(genesisRoot.toBigInteger());
    return new FixtureRollup(l1, deployer, d.collateral(), rollup);
  }

  /**
   * Deposits {@link OrderScenario#DEPOSIT} TestUSD for an account with its fixture key (faucet,
   * approve, deposit), queuing a priority operation.
   *
   * @param who the depositor (the account's L1 owner)
   * @param account the L2 account id
   */
  void deposit(Credentials who, int account) {
    TransactionManager tm = l1.transactionManager(who);
    TestUSD usd = TestUSD.load(token, l1.web3j(), tm, l1.gas());
    BigInteger amount = BigInteger.valueOf(OrderScenario.DEPOSIT);
    l1.send(who.getAddress(), token, usd.faucet(amount), "faucet");
    l1.send(who.getAddress(), token, usd.approve(rollup.getContractAddress(), amount), "approve");
    ZkPerpRollupV3 as = ZkPerpRollupV3.load(rollup.getContractAddress(), l1.web3j(), tm, l1.gas());
    EdDsaPrivateKey key = FixtureChain.key(account);
    l1.send(
        who.getAddress(),
        rollup.getContractAddress(),
        as.deposit(
            BigInteger.valueOf(account),
            key.publicKey().point().x().toBigInteger(),
            key.publicKey().point().y().toBigInteger(),
            amount),
        "deposit");
  }
}
