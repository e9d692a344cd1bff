package io.zkperp.l1;

import java.io.IOException;
import java.math.BigInteger;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.RemoteFunctionCall;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.gas.ContractGasProvider;
import org.web3j.tx.gas.StaticGasProvider;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;
import org.web3j.tx.response.TransactionReceiptProcessor;

/**
 * A connection to an L1 node over JSON-RPC (web3j over HTTP) with what every caller needs: the
 * chain id, a gas provider, transaction managers that sign locally (EIP-155) and poll receipts
 * quickly, and {@link #send}, which simulates a call first so that a revert surfaces as a decoded
 * {@link L1RevertException} instead of a mined failure.
 *
 * <p>Thread-safety: the session may be shared; transactions of one account must be sent from one
 * thread at a time (nonces are read from the node per transaction).
 */
public final class L1Session implements AutoCloseable {
  /** Gas price of every transaction (2 gwei; the local node's base fee is below it). */
  public static final BigInteger GAS_PRICE = BigInteger.valueOf(2_000_000_000L);

  /** Gas limit of every transaction (deployment of the rollup needs about 5M). */
  public static final BigInteger GAS_LIMIT = BigInteger.valueOf(15_000_000L);

  private static final long POLL_MILLIS = 50;
  private static final int POLL_ATTEMPTS = 1_200;

  private final HttpService service;
  private final Web3j web3j;
  private final ScheduledExecutorService scheduler;
  private final long chainId;
  private final ContractGasProvider gas = new StaticGasProvider(GAS_PRICE, GAS_LIMIT);
  private final TransactionReceiptProcessor receipts;

  private L1Session(
      HttpService service, Web3j web3j, ScheduledExecutorService scheduler, long chainId) {
    this.service = service;
    this.web3j = web3j;
    this.scheduler = scheduler;
    this.chainId = chainId;
    this.receipts = new PollingTransactionReceiptProcessor(web3j, POLL_MILLIS, POLL_ATTEMPTS);
  }

  /**
   * Connects and reads the chain id.
   *
   * @param rpcUrl the node's HTTP JSON-RPC endpoint
   * @return the session
   * @throws L1Exception if the node does not answer
   */
  public static L1Session connect(String rpcUrl) {
    ScheduledExecutorService scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "web3j-poll");
              t.setDaemon(true);
              return t;
            });
    HttpService service = new HttpService(rpcUrl);
    Web3j web3j = Web3j.build(service, POLL_MILLIS, scheduler);
    try {
      long chainId = web3j.ethChainId().send().getChainId().longValueExact();
      return new L1Session(service, web3j, scheduler, chainId);
    } catch (IOException | RuntimeException e) {
      web3j.shutdown();
      throw new L1Exception("cannot reach the L1 node at " + rpcUrl + ": " + e.getMessage(), e);
    }
  }

  /**
   * The web3j client.
   *
   * @return the client
   */
  public Web3j web3j() {
    return web3j;
  }

  /**
   * The chain id.
   *
   * @return the chain id
   */
  public long chainId() {
    return chainId;
  }

  /**
   * The gas provider of every transaction.
   *
   * @return a static provider ({@link #GAS_PRICE}, {@link #GAS_LIMIT})
   */
  public ContractGasProvider gas() {
    return gas;
  }

  /**
   * A transaction manager signing with {@code credentials} for this chain.
   *
   * @param credentials the sender's key
   * @return the manager
   */
  public TransactionManager transactionManager(Credentials credentials) {
    return new RawTransactionManager(web3j, credentials, chainId, receipts);
  }

  /**
   * Simulates a contract call from {@code from} with {@code eth_call} and, if it would succeed,
   * sends it as a transaction and waits for its receipt.
   *
   * @param from the sender (must be the wrapper's signer)
   * @param to the contract (the wrapper's address)
   * @param call the wrapper's call
   * @param context what is being done, for error messages (e.g. {@code "commitBatch"})
   * @return the successful receipt
   * @throws L1RevertException if the simulation reverts (nothing is sent) or the mined transaction
   *     failed with revert data
   * @throws L1Exception on transport failures or a failed receipt
   */
  public TransactionReceipt send(
      String from, String to, RemoteFunctionCall<TransactionReceipt> call, String context) {
    return send(from, to, call, BigInteger.ZERO, context);
  }

  /**
   * Like {@link #send(String, String, RemoteFunctionCall, String)} for a payable call: the
   * simulation carries the same ether value as the wrapper's call (for example the forced-request
   * fee of {@code requestForcedWithdrawal}).
   *
   * @param from the sender (must be the wrapper's signer)
   * @param to the contract (the wrapper's address)
   * @param call the wrapper's call, built with {@code weiValue}
   * @param weiValue the ether (wei) the call sends, ≥ 0
   * @param context what is being done, for error messages
   * @return the successful receipt
   * @throws L1RevertException if the simulation reverts (nothing is sent) or the mined transaction
   *     failed with revert data
   * @throws L1Exception on transport failures or a failed receipt
   */
  public TransactionReceipt send(
      String from,
      String to,
      RemoteFunctionCall<TransactionReceipt> call,
      BigInteger weiValue,
      String context) {
    Objects.requireNonNull(call, "call");
    simulate(from, to, call.encodeFunctionCall(), weiValue, context);
    TransactionReceipt receipt;
    try {
      receipt = call.send();
    } catch (Exception e) {
      throw new L1Exception(context + " failed: " + e.getMessage(), e);
    }
    if (!receipt.isStatusOK()) {
      throw ContractErrors.zkperp().decode(receipt.getRevertReason(), context);
    }
    return receipt;
  }

  /**
   * Runs {@code data} against {@code to} with {@code eth_call} from {@code from}.
   *
   * @param from the sender
   * @param to the contract
   * @param data ABI-encoded call, 0x-hex
   * @param context for error messages
   * @return the returned data, 0x-hex
   * @throws L1RevertException if it reverts
   * @throws L1Exception on transport failures
   */
  public String simulate(String from, String to, String data, String context) {
    return simulate(from, to, data, BigInteger.ZERO, context);
  }

  /**
   * Runs {@code data} with {@code weiValue} wei against {@code to} with {@code eth_call} from
   * {@code from}.
   *
   * @param from the sender
   * @param to the contract
   * @param data ABI-encoded call, 0x-hex
   * @param weiValue the ether (wei) the call carries, ≥ 0
   * @param context for error messages
   * @return the returned data, 0x-hex
   * @throws L1RevertException if it reverts
   * @throws L1Exception on transport failures
   */
  public String simulate(String from, String to, String data, BigInteger weiValue, String context) {
    if (weiValue.signum() < 0) {
      throw new IllegalArgumentException("weiValue must be >= 0, got " + weiValue);
    }
    Transaction tx =
        weiValue.signum() == 0
            ? Transaction.createEthCallTransaction(from, to, data)
            : Transaction.createFunctionCallTransaction(from, null, null, null, to, weiValue, data);
    EthCall result;
    try {
      result = web3j.ethCall(tx, DefaultBlockParameterName.LATEST).send();
    } catch (IOException e) {
      throw new L1Exception(context + ": eth_call failed: " + e.getMessage(), e);
    }
    if (result.hasError()) {
      Response.Error err = result.getError();
      // Nodes put the revert data in the error's data field, as a JSON string.
      String revertData = err.getData() == null ? null : err.getData().replace("\"", "").trim();
      if (revertData == null || !revertData.startsWith("0x")) {
        throw new L1Exception(context + ": eth_call error: " + err.getMessage(), null);
      }
      throw ContractErrors.zkperp().decode(revertData, context);
    }
    return result.getValue();
  }

  /**
   * Moves the node's clock forward and mines a block (anvil / Hardhat {@code evm_increaseTime},
   * {@code evm_mine}). Local nodes only.
   *
   * @param seconds how far
   * @throws L1Exception if the node refuses
   */
  public void advanceTime(long seconds) {
    try {
      Response<?> r =
          new Request<>("evm_increaseTime", List.of(seconds), service, VoidResponse.class).send();
      if (r.hasError()) {
        throw new L1Exception("evm_increaseTime: " + r.getError().getMessage(), null);
      }
      Response<?> m = new Request<>("evm_mine", List.of(), service, VoidResponse.class).send();
      if (m.hasError()) {
        throw new L1Exception("evm_mine: " + m.getError().getMessage(), null);
      }
    } catch (IOException e) {
      throw new L1Exception("advancing the clock failed: " + e.getMessage(), e);
    }
  }

  /** Shuts the client and its polling thread down. */
  @Override
  public void close() {
    web3j.shutdown();
    scheduler.shutdownNow();
  }
}
