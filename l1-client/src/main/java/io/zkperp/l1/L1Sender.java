package io.zkperp.l1;

import java.io.IOException;
import java.math.BigInteger;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthEstimateGas;
import org.web3j.protocol.core.methods.response.EthGetTransactionReceipt;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * Sends transactions of one L1 account the way an operator must: the nonce is kept locally (read
 * from the node once, and again after the node reports a nonce error), the gas limit is the node's
 * estimate plus a margin, the fee comes from the node (EIP-1559 {@code maxFeePerGas = 2 × baseFee +
 * tip} where the latest block has a base fee, else the legacy {@code eth_gasPrice}), every call is
 * simulated first so a revert surfaces as a decoded {@link L1RevertException} and nothing is sent,
 * and transport errors are retried with exponential backoff.
 *
 * <p>Thread-safety: {@link #send} is synchronized (one transaction of the account at a time, so
 * nonces are used in order); any thread.
 */
public final class L1Sender {
  private static final Logger LOG = LoggerFactory.getLogger(L1Sender.class);
  private static final BigInteger DEFAULT_TIP = BigInteger.valueOf(1_000_000_000L);

  /**
   * Retry and gas settings.
   *
   * @param gasMarginPercent added to the node's gas estimate (e.g. 25)
   * @param attempts tries per transport step before giving up (≥ 1)
   * @param backoffMillis the first wait between tries, doubled each time (≥ 0)
   * @param receiptTimeoutMillis how long to wait for a receipt (≥ 1)
   */
  public record Options(
      int gasMarginPercent, int attempts, long backoffMillis, long receiptTimeoutMillis) {
    /** Checks the ranges. */
    public Options {
      if (gasMarginPercent < 0 || attempts < 1 || backoffMillis < 0 || receiptTimeoutMillis < 1) {
        throw new IllegalArgumentException(
            "gasMarginPercent, backoffMillis ≥ 0, attempts, receiptTimeoutMillis ≥ 1");
      }
    }

    /**
     * 25 % gas margin, 6 attempts from 200 ms, 2 minutes for a receipt.
     *
     * @return the defaults
     */
    public static Options defaults() {
      return new Options(25, 6, 200, 120_000);
    }
  }

  private final L1Session session;
  private final Credentials credentials;
  private final Options options;
  private BigInteger nonce; // null: read from the node before the next transaction

  /**
   * A sender for {@code credentials}' account.
   *
   * @param session the L1 connection
   * @param credentials the account's key
   * @param options gas and retry settings
   */
  public L1Sender(L1Session session, Credentials credentials, Options options) {
    this.session = Objects.requireNonNull(session, "session");
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.options = Objects.requireNonNull(options, "options");
  }

  /**
   * The sending account's address.
   *
   * @return 0x-hex
   */
  public String address() {
    return credentials.getAddress();
  }

  /**
   * Simulates, signs, sends and waits for the receipt of a call to {@code to}.
   *
   * @param to the contract
   * @param data the ABI-encoded call (e.g. a wrapper's {@code encodeFunctionCall()})
   * @param weiValue ether sent with it, ≥ 0
   * @param context what is done, for messages and logs (e.g. {@code "commitBatch 7"})
   * @return the successful receipt
   * @throws L1RevertException if the simulation or the mined transaction reverts
   * @throws L1Exception if the node stays unreachable for all attempts, or no receipt comes in time
   */
  public synchronized TransactionReceipt send(
      String to, String data, BigInteger weiValue, String context) {
    retry(
        context + ": eth_call",
        () -> {
          try {
            return session.simulate(address(), to, data, weiValue, context);
          } catch (L1RevertException e) {
            throw e;
          } catch (L1Exception e) {
            if (e.getCause() instanceof IOException io) {
              throw io; // transport: retried
            }
            throw e;
          }
        });
    BigInteger gasLimit = estimateGas(to, data, weiValue, context);
    for (int attempt = 1; ; attempt++) {
      BigInteger n = nonce();
      RawTransaction tx = build(n, gasLimit, to, weiValue, data);
      String signed =
          Numeric.toHexString(TransactionEncoder.signMessage(tx, session.chainId(), credentials));
      EthSendTransaction sent;
      try {
        sent = session.web3j().ethSendRawTransaction(signed).send();
      } catch (IOException e) {
        if (attempt >= options.attempts()) {
          throw new L1Exception(context + ": eth_sendRawTransaction failed: " + e.getMessage(), e);
        }
        backoff(attempt, context, e.getMessage());
        nonce = null; // the transaction may or may not have arrived: ask the node
        continue;
      }
      if (sent.hasError()) {
        String msg = sent.getError().getMessage();
        String lower = msg.toLowerCase(Locale.ROOT);
        if (lower.contains("nonce") && attempt < options.attempts()) {
          LOG.warn("{}: nonce {} refused ({}); re-reading the nonce", context, n, msg);
          nonce = null;
          continue;
        }
        throw new L1Exception(context + ": eth_sendRawTransaction: " + msg, null);
      }
      nonce = n.add(BigInteger.ONE);
      TransactionReceipt receipt = awaitReceipt(sent.getTransactionHash(), context);
      if (!receipt.isStatusOK()) {
        throw ContractErrors.zkperp().decode(receipt.getRevertReason(), context);
      }
      return receipt;
    }
  }

  private BigInteger nonce() {
    if (nonce == null) {
      nonce =
          retry(
              "eth_getTransactionCount",
              () ->
                  session
                      .web3j()
                      .ethGetTransactionCount(address(), DefaultBlockParameterName.PENDING)
                      .send()
                      .getTransactionCount());
    }
    return nonce;
  }

  private BigInteger estimateGas(String to, String data, BigInteger weiValue, String context) {
    Transaction call =
        Transaction.createFunctionCallTransaction(address(), null, null, null, to, weiValue, data);
    EthEstimateGas est =
        retry(context + ": eth_estimateGas", () -> session.web3j().ethEstimateGas(call).send());
    if (est.hasError()) {
      throw new L1Exception(context + ": eth_estimateGas: " + est.getError().getMessage(), null);
    }
    return est.getAmountUsed()
        .multiply(BigInteger.valueOf(100L + options.gasMarginPercent()))
        .divide(BigInteger.valueOf(100));
  }

  private RawTransaction build(
      BigInteger n, BigInteger gasLimit, String to, BigInteger weiValue, String data) {
    EthBlock.Block latest =
        retry(
            "eth_getBlockByNumber(latest)",
            () ->
                session
                    .web3j()
                    .ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false)
                    .send()
                    .getBlock());
    String baseFeeHex = latest == null ? null : latest.getBaseFeePerGasRaw();
    if (baseFeeHex == null) {
      BigInteger gasPrice =
          retry("eth_gasPrice", () -> session.web3j().ethGasPrice().send().getGasPrice());
      return RawTransaction.createTransaction(n, gasPrice, gasLimit, to, weiValue, data);
    }
    BigInteger baseFee = Numeric.decodeQuantity(baseFeeHex);
    BigInteger tip;
    try {
      Response<String> r = session.web3j().ethMaxPriorityFeePerGas().send();
      tip = r.hasError() ? DEFAULT_TIP : Numeric.decodeQuantity(r.getResult());
    } catch (IOException | RuntimeException e) {
      tip = DEFAULT_TIP;
    }
    BigInteger maxFee = baseFee.shiftLeft(1).add(tip);
    return RawTransaction.createTransaction(
        session.chainId(), n, gasLimit, to, weiValue, data, tip, maxFee);
  }

  private TransactionReceipt awaitReceipt(String hash, String context) {
    long deadline = System.nanoTime() + options.receiptTimeoutMillis() * 1_000_000L;
    long wait = 20;
    while (true) {
      try {
        EthGetTransactionReceipt r = session.web3j().ethGetTransactionReceipt(hash).send();
        Optional<TransactionReceipt> receipt = r.getTransactionReceipt();
        if (receipt.isPresent()) {
          return receipt.get();
        }
      } catch (IOException e) {
        LOG.warn("{}: receipt of {} not readable yet: {}", context, hash, e.getMessage());
      }
      if (System.nanoTime() > deadline) {
        nonce = null;
        throw new L1Exception(context + ": no receipt for " + hash + " in time", null);
      }
      sleep(wait);
      wait = Math.min(wait * 2, 1_000);
    }
  }

  /** A step that talks to the node. */
  private interface Step<T> {
    T run() throws IOException;
  }

  private <T> T retry(String what, Step<T> step) {
    for (int attempt = 1; ; attempt++) {
      try {
        return step.run();
      } catch (IOException e) {
        if (attempt >= options.attempts()) {
          throw new L1Exception(what + " failed " + attempt + " times: " + e.getMessage(), e);
        }
        backoff(attempt, what, e.getMessage());
      }
    }
  }

  private void backoff(int attempt, String what, String why) {
    long millis = options.backoffMillis() << Math.min(attempt - 1, 10);
    LOG.warn("{}: attempt {} failed ({}); retrying in {} ms", what, attempt, why, millis);
    sleep(millis);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new L1Exception("interrupted", e);
    }
  }
}
