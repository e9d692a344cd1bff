package io.zkperp.l1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkperp.l1.contracts.TestUSD;
import java.io.IOException;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/** {@link L1Sender} on a real anvil: local nonces, a stale nonce recovered, reverts, fees. */
class L1SenderIT {
  @RegisterExtension private static final AnvilExtension anvil = new AnvilExtension();

  @Test
  void sendsWithLocalNoncesRecoversAStaleNonceAndSendsNothingThatReverts() throws Exception {
    try (L1Session l1 = L1Session.connect(anvil.rpcUrl())) {
      Credentials deployer = DevAccounts.account(0);
      Credentials who = DevAccounts.account(5);
      RollupDeployment d =
          RollupDeployer.deploy(
              l1,
              deployer,
              DeployParams.devnet("tiny", deployer.getAddress(), deployer.getAddress(), 3_600));
      TestUSD token =
          TestUSD.load(d.collateral(), l1.web3j(), l1.transactionManager(who), l1.gas());
      L1Sender sender = new L1Sender(l1, who, L1Sender.Options.defaults());
      BigInteger start = nonce(l1, who);
      for (int i = 1; i <= 3; i++) {
        TransactionReceipt r =
            sender.send(
                d.collateral(),
                token.faucet(BigInteger.valueOf(i)).encodeFunctionCall(),
                BigInteger.ZERO,
                "faucet " + i);
        assertThat(r.isStatusOK()).isTrue();
        // the fee came from the node's base fee (EIP-1559 on anvil), not a fixed price
        assertThat(r.getType()).isEqualTo("0x2");
        assertThat(r.getGasUsed()).isLessThan(BigInteger.valueOf(200_000));
      }
      assertThat(nonce(l1, who)).isEqualTo(start.add(BigInteger.valueOf(3)));
      assertThat(token.balanceOf(who.getAddress()).send()).isEqualTo(BigInteger.valueOf(6));

      // Another client uses the same account: the locally kept nonce is stale, the node refuses
      // it, the sender re-reads the nonce and the transaction goes through once.
      l1.send(who.getAddress(), d.collateral(), token.faucet(BigInteger.TEN), "faucet elsewhere");
      sender.send(
          d.collateral(),
          token.faucet(BigInteger.valueOf(100)).encodeFunctionCall(),
          BigInteger.ZERO,
          "faucet after a stale nonce");
      assertThat(token.balanceOf(who.getAddress()).send()).isEqualTo(BigInteger.valueOf(116));

      // A call that reverts is refused before sending: the nonce does not move.
      BigInteger before = nonce(l1, who);
      assertThatThrownBy(
              () ->
                  sender.send(
                      d.collateral(),
                      token
                          .transfer(deployer.getAddress(), BigInteger.valueOf(1_000_000))
                          .encodeFunctionCall(),
                      BigInteger.ZERO,
                      "transfer more than held"))
          .isInstanceOf(L1RevertException.class);
      assertThat(nonce(l1, who)).isEqualTo(before);
      sender.send(
          d.collateral(),
          token.faucet(BigInteger.ONE).encodeFunctionCall(),
          BigInteger.ZERO,
          "faucet after a revert");
      assertThat(nonce(l1, who)).isEqualTo(before.add(BigInteger.ONE));
    }
  }

  @Test
  void aCallNotMinedIsReplacedKeepsItsNonceAndNoOtherCallTakesIt() throws Exception {
    try (L1Session l1 = L1Session.connect(anvil.rpcUrl())) {
      Credentials deployer = DevAccounts.account(0);
      Credentials who = DevAccounts.account(8);
      RollupDeployment d =
          RollupDeployer.deploy(
              l1,
              deployer,
              DeployParams.devnet("tiny", deployer.getAddress(), deployer.getAddress(), 3_600));
      TestUSD token =
          TestUSD.load(d.collateral(), l1.web3j(), l1.transactionManager(who), l1.gas());
      L1Sender sender =
          new L1Sender(
              l1,
              who,
              new L1Sender.Options(25, 3, 10, 2_000)
                  .withReplacement(400, 125, BigInteger.valueOf(1_000_000_000_000L)));
      BigInteger start = nonce(l1, who);
      anvil("evm_setAutomine", false);
      try {
        // nothing is mined: the sender replaces its transaction, then gives up for now
        assertThatThrownBy(
                () ->
                    sender.send(
                        d.collateral(),
                        token.faucet(BigInteger.ONE).encodeFunctionCall(),
                        BigInteger.ZERO,
                        "faucet 1"))
            .isInstanceOf(L1Exception.class)
            .hasMessageContaining("stays pending for the next send of this call");
        assertThat(sender.replacements()).isPositive();
        // another call may not take the nonce of one that may still be mined
        assertThatThrownBy(
                () ->
                    sender.send(
                        d.collateral(),
                        token.faucet(BigInteger.TWO).encodeFunctionCall(),
                        BigInteger.ZERO,
                        "faucet 2"))
            .isInstanceOf(L1Exception.class)
            .hasMessageContaining("nonce " + start + " still holds faucet 1");
        anvil("evm_mine");
      } finally {
        anvil("evm_setAutomine", true);
      }
      // the first call was mined once (one of its versions); the second goes to the next nonce
      sender.send(
          d.collateral(),
          token.faucet(BigInteger.TWO).encodeFunctionCall(),
          BigInteger.ZERO,
          "faucet 2");
      assertThat(token.balanceOf(who.getAddress()).send()).isEqualTo(BigInteger.valueOf(3));
      assertThat(nonce(l1, who)).isEqualTo(start.add(BigInteger.TWO));
    }
  }

  private static void anvil(String method, Object... params) throws IOException {
    org.web3j.protocol.core.methods.response.VoidResponse r =
        new org.web3j.protocol.core.Request<>(
                method,
                java.util.List.of(params),
                new org.web3j.protocol.http.HttpService(anvil.rpcUrl()),
                org.web3j.protocol.core.methods.response.VoidResponse.class)
            .send();
    if (r.hasError()) {
      throw new IOException(method + ": " + r.getError().getMessage());
    }
  }

  @Test
  void anUnreachableNodeIsRetriedWithBackoffThenReported() throws Exception {
    AnvilProcess other = AnvilProcess.start(AnvilProcess.launcherFromSystemProperty(), 31_337, 60);
    try (L1Session l1 = L1Session.connect(other.rpcUrl())) {
      other.close(); // the node goes away after the session connected
      L1Sender sender =
          new L1Sender(l1, DevAccounts.account(6), new L1Sender.Options(25, 3, 10, 1_000));
      long t0 = System.nanoTime();
      assertThatThrownBy(
              () -> sender.send(DevAccounts.account(7).getAddress(), "0x", BigInteger.ONE, "pay"))
          .isInstanceOf(L1Exception.class)
          .hasMessageContaining("pay: eth_call failed 3 times");
      assertThat(System.nanoTime() - t0).isLessThan(30_000_000_000L);
    } finally {
      other.close();
    }
  }

  private static BigInteger nonce(L1Session l1, Credentials who) throws IOException {
    return l1.web3j()
        .ethGetTransactionCount(who.getAddress(), DefaultBlockParameterName.LATEST)
        .send()
        .getTransactionCount();
  }
}
