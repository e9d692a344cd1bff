package io.zkperp.node.v3;

import io.zkperp.l1.L1Exception;
import io.zkperp.l1.L1Session;
import java.math.BigInteger;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

/**
 * Deploys a contract from its creation bytecode alone (a contract without a web3j wrapper, such as
 * the gnark-exported V3TinyBatchVerifier). The test's thread.
 */
final class L1Contracts {
  private L1Contracts() {}

  /**
   * Sends a creation transaction and waits for its receipt.
   *
   * @param l1 the session
   * @param from the deployer
   * @param bytecode creation bytecode, hex with or without 0x
   * @return the new contract's address
   */
  static String create(L1Session l1, Credentials from, String bytecode) throws Exception {
    RawTransactionManager tm = new RawTransactionManager(l1.web3j(), from, l1.chainId());
    String data = bytecode.startsWith("0x") ? bytecode : "0x" + bytecode;
    EthSendTransaction sent =
        tm.sendTransaction(
            L1Session.GAS_PRICE, L1Session.GAS_LIMIT, null, data, BigInteger.ZERO, true);
    if (sent.hasError()) {
      throw new L1Exception("deployment refused: " + sent.getError().getMessage(), null);
    }
    TransactionReceipt r =
        new PollingTransactionReceiptProcessor(l1.web3j(), 50, 1_200)
            .waitForTransactionReceipt(sent.getTransactionHash());
    if (!r.isStatusOK() || r.getContractAddress() == null) {
      throw new L1Exception("deployment failed: " + r, null);
    }
    return r.getContractAddress();
  }
}
