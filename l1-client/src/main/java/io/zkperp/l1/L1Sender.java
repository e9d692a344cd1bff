package io.zkperp.l1;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthEstimateGas;
import org.web3j.protocol.core.methods.response.EthFeeHistory;
import org.web3j.protocol.core.methods.response.EthGetTransactionReceipt;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * Sends transactions of one L1 account the way an operator must.
 *
 * <ul>
 *   <li><b>Nonce:</b> read from the node once ({@code latest}) and then tracked locally; read again
 *       after the node reports a nonce error or the nonce was taken by another transaction.
 *   <li><b>Gas:</b> the node's estimate for each transaction plus a margin.
 *   <li><b>Fees (EIP-1559):</b> {@code maxFeePerGas = 2 × next base fee + tip}, the next base fee
 *       from {@code eth_feeHistory} and the tip from {@code eth_maxPriorityFeePerGas}, capped by
 *       {@link Options#maxFeePerGasWei}; the legacy {@code eth_gasPrice} where blocks have no base
 *       fee.
 *   <li><b>Replacement:</b> a transaction not mined within {@link Options#replaceAfterMillis} is
 *       signed again at the same nonce with both fees raised by at least {@link
 *       Options#bumpPermille} (≥ 125‰, 12.5 %) and at least the current fees, up to the cap; at the
 *       cap the same transaction is broadcast again and awaited. A receipt of any of its versions
 *       ends the wait.
 *   <li><b>One call per nonce:</b> the nonce of a transaction not yet mined is kept with its call
 *       when {@link #send} gives up (a timeout, the node unreachable), and the next {@link #send}
 *       of the same call continues there (bumping); a different call is refused with an {@link
 *       L1Exception} while that transaction may still be mined, so two different calls (two
 *       batches) never share a nonce.
 *   <li><b>Reverts and transport:</b> every call is simulated first, so a revert surfaces as a
 *       decoded {@link L1RevertException} and nothing is sent; transport errors are retried with
 *       exponential backoff (a broadcast is retried with the same signed bytes).
 * </ul>
 *
 * <p>Thread-safety: {@link #send} is synchronized (one transaction of the account at a time, so
 * nonces are used in order); any thread.
 */
public final class L1Sender {
  private static final Logger LOG = LoggerFactory.getLogger(L1Sender.class);
  private static final BigInteger DEFAULT_TIP = BigInteger.valueOf(1_000_000_000L);
  private static final BigInteger THOUSAND = BigInteger.valueOf(1_000);

  /**
   * Retry, gas and fee settings.
   *
   * @param gasMarginPercent added to the node's gas estimate (e.g. 25)
   * @param attempts tries per transport step before giving up (≥ 1)
   * @param backoffMillis the first wait between tries, doubled each time (≥ 0)
   * @param receiptTimeoutMillis how long one {@link #send} waits for a receipt, replacements
   *     included (≥ 1); the transaction stays pending for the next {@link #send} of the same call
   * @param replaceAfterMillis how long a transaction may stay unmined before it is replaced with
   *     higher fees (≥ 1)
   * @param bumpPermille how much each replacement raises both fees, in thousandths (≥ 125: nodes
   *     refuse a replacement below +10 %)
   * @param maxFeePerGasWei the highest {@code maxFeePerGas} (and gas price) ever offered (≥ 1)
   */
  public record Options(
      int gasMarginPercent,
      int attempts,
      long backoffMillis,
      long receiptTimeoutMillis,
      long replaceAfterMillis,
      int bumpPermille,
      BigInteger maxFeePerGasWei) {
    /** Checks the ranges. */
    public Options {
      Objects.requireNonNull(maxFeePerGasWei, "maxFeePerGasWei");
      if (gasMarginPercent < 0
          || attempts < 1
          || backoffMillis < 0
          || receiptTimeoutMillis < 1
          || replaceAfterMillis < 1
          || bumpPermille < 125
          || maxFeePerGasWei.signum() <= 0) {
        throw new IllegalArgumentException(
            "gasMarginPercent, backoffMillis ≥ 0; attempts, receiptTimeoutMillis,"
                + " replaceAfterMillis, maxFeePerGasWei ≥ 1; bumpPermille ≥ 125");
      }
    }

    /**
     * Retry and gas settings with the default replacement policy ({@link #defaults()}'s).
     *
     * @param gasMarginPercent see the record
     * @param attempts see the record
     * @param backoffMillis see the record
     * @param receiptTimeoutMillis see the record
     */
    public Options(
        int gasMarginPercent, int attempts, long backoffMillis, long receiptTimeoutMillis) {
      this(
          gasMarginPercent,
          attempts,
          backoffMillis,
          receiptTimeoutMillis,
          DEFAULT_REPLACE_AFTER_MILLIS,
          125,
          DEFAULT_MAX_FEE_PER_GAS);
    }

    /**
     * 25 % gas margin, 6 attempts from 200 ms, 2 minutes for a receipt, replaced after 30 s unmined
     * with fees +12.5 %, at most 500 gwei per gas.
     *
     * @return the defaults
     */
    public static Options defaults() {
      return new Options(25, 6, 200, 120_000);
    }

    /**
     * Returns a copy with another replacement policy.
     *
     * @param replaceAfter how long a transaction may stay unmined before it is replaced
     * @param bump fee increase per replacement, in thousandths (≥ 125)
     * @param maxFee the fee cap in wei per gas
     * @return the new options
     */
    public Options withReplacement(long replaceAfter, int bump, BigInteger maxFee) {
      return new Options(
          gasMarginPercent,
          attempts,
          backoffMillis,
          receiptTimeoutMillis,
          replaceAfter,
          bump,
          maxFee);
    }
  }

  /** Default time before a transaction not mined is replaced. */
  public static final long DEFAULT_REPLACE_AFTER_MILLIS = 30_000;

  /** Default fee cap: 500 gwei per gas. */
  public static final BigInteger DEFAULT_MAX_FEE_PER_GAS = BigInteger.valueOf(500_000_000_000L);

  /**
   * The fees of one signed version of a transaction.
   *
   * @param tip {@code maxPriorityFeePerGas} (null for a legacy transaction)
   * @param maxFee {@code maxFeePerGas}, or the gas price of a legacy transaction
   */
  private record Fees(BigInteger tip, BigInteger maxFee) {
    boolean legacy() {
      return tip == null;
    }
  }

  /** A transaction sent and not yet known to be mined: its nonce, call and versions. */
  private static final class Pending {
    final BigInteger nonce;
    final String to;
    final String data;
    final BigInteger value;
    final String context;
    final List<String> hashes = new ArrayList<>();
    Fees fees; // of the newest version
    String signed; // the newest version
    boolean delivered; // a version was accepted by the node (or may have been)

    Pending(BigInteger nonce, String to, String data, BigInteger value, String context) {
      this.nonce = nonce;
      this.to = to;
      this.data = data;
      this.value = value;
      this.context = context;
    }

    boolean sameCall(String to2, String data2, BigInteger value2) {
      return to.equalsIgnoreCase(to2) && data.equals(data2) && value.equals(value2);
    }
  }

  private final L1Session session;
  private final Credentials credentials;
  private final Options options;
  private BigInteger nonce; // null: read from the node before the next transaction
  private Pending pending; // a transaction that may still be mined, or null
  private long replacements; // guarded by this

  /**
   * A sender for {@code credentials}' account.
   *
   * @param session the L1 connection
   * @param credentials the account's key
   * @param options gas, fee and retry settings
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
   * How many times a transaction was replaced with higher fees since this sender was created (a
   * metric). Any thread.
   *
   * @return the count
   */
  public synchronized long replacements() {
    return replacements;
  }

  /**
   * Simulates, signs, sends and waits for the receipt of a call to {@code to}, replacing it with
   * higher fees while it is not mined (see the class description).
   *
   * @param to the contract
   * @param data the ABI-encoded call (e.g. a wrapper's {@code encodeFunctionCall()})
   * @param weiValue ether sent with it, ≥ 0
   * @param context what is done, for messages and logs (e.g. {@code "commitBatch 7"})
   * @return the successful receipt
   * @throws L1RevertException if the simulation or the mined transaction reverts
   * @throws L1Exception if the node stays unreachable for all attempts, no receipt comes in time
   *     (the transaction stays pending for the next send of the same call), or another call's
   *     transaction is still pending
   */
  public synchronized TransactionReceipt send(
      String to, String data, BigInteger weiValue, String context) {
    if (pending != null && !pending.sameCall(to, data, weiValue)) {
      settleOtherPending(context);
    }
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
      Pending p = pending != null ? pending : new Pending(nonce(), to, data, weiValue, context);
      pending = p;
      try {
        return sendAndAwait(p, gasLimit, context);
      } catch (NonceTakenException e) {
        // the nonce went to a transaction that is not ours: nothing of this call was mined
        pending = null;
        nonce = null;
        if (attempt >= options.attempts()) {
          throw new L1Exception(context + ": " + e.getMessage(), null);
        }
        LOG.warn("{}: {}; re-reading the nonce", context, e.getMessage());
      }
    }
  }

  /** Signals that the pending transaction's nonce was used by another transaction. */
  private static final class NonceTakenException extends Exception {
    private static final long serialVersionUID = 1L;

    NonceTakenException(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Before another call: if the pending transaction was mined (or its nonce used), forget it; else
   * refuse, so that the other call does not take its nonce.
   */
  private void settleOtherPending(String context) {
    Pending p = pending;
    Optional<TransactionReceipt> r = receiptOfAny(p, context);
    if (r.isPresent()) {
      LOG.info(
          "{}: the earlier {} was mined (tx {}, block {})",
          context,
          p.context,
          r.get().getTransactionHash(),
          r.get().getBlockNumber());
      nonce = p.nonce.add(BigInteger.ONE);
      pending = null;
      return;
    }
    BigInteger mined = transactionCount(DefaultBlockParameterName.LATEST);
    if (mined.compareTo(p.nonce) > 0) {
      nonce = null; // used by something else; the receipt may just lag: re-read
      pending = null;
      return;
    }
    throw new L1Exception(
        context
            + ": nonce "
            + p.nonce
            + " still holds "
            + p.context
            + " (tx "
            + p.hashes.getLast()
            + ", not mined): it is not given to another call",
        null);
  }

  /** Sends (or continues) {@code p} and awaits a receipt of any of its versions, replacing it. */
  private TransactionReceipt sendAndAwait(Pending p, BigInteger gasLimit, String context)
      throws NonceTakenException {
    long deadline = System.nanoTime() + options.receiptTimeoutMillis() * 1_000_000L;
    if (p.signed == null) {
      sign(p, gasLimit, currentFees(), context);
    } else {
      replace(p, gasLimit, context); // a later send of the same call: bump what is pending
    }
    while (true) {
      broadcast(p, gasLimit, context);
      long replaceAt = System.nanoTime() + options.replaceAfterMillis() * 1_000_000L;
      long wait = 20;
      while (System.nanoTime() < replaceAt) {
        Optional<TransactionReceipt> r = receiptOfAny(p, context);
        if (r.isPresent()) {
          pending = null;
          nonce = p.nonce.add(BigInteger.ONE);
          TransactionReceipt receipt = r.get();
          if (!receipt.isStatusOK()) {
            throw ContractErrors.zkperp().decode(receipt.getRevertReason(), context);
          }
          return receipt;
        }
        if (System.nanoTime() > deadline) {
          throw new L1Exception(
              context
                  + ": no receipt for "
                  + p.hashes
                  + " at nonce "
                  + p.nonce
                  + " in time; it stays pending for the next send of this call",
              null);
        }
        sleep(wait);
        wait = Math.min(wait * 2, 500);
      }
      BigInteger mined = transactionCountOrNull();
      if (mined != null && mined.compareTo(p.nonce) > 0 && receiptOfAny(p, context).isEmpty()) {
        throw new NonceTakenException(
            "nonce " + p.nonce + " was used by a transaction that is not " + p.hashes);
      }
      replace(p, gasLimit, context);
    }
  }

  /** Signs a new version of {@code p} with higher fees, unless the cap is reached. */
  private void replace(Pending p, BigInteger gasLimit, String context) {
    Fees now = currentFees();
    Fees bumped = bump(p.fees, now);
    if (bumped.maxFee().compareTo(p.fees.maxFee()) <= 0) {
      LOG.warn(
          "{}: tx {} at nonce {} not mined; fees at the cap {} wei, broadcasting it again",
          context,
          p.hashes.getLast(),
          p.nonce,
          options.maxFeePerGasWei());
      return;
    }
    LOG.warn(
        "{}: tx {} at nonce {} not mined within {} ms; replacing it: maxFeePerGas {} -> {} wei,"
            + " tip {} -> {} wei",
        context,
        p.hashes.getLast(),
        p.nonce,
        options.replaceAfterMillis(),
        p.fees.maxFee(),
        bumped.maxFee(),
        p.fees.tip(),
        bumped.tip());
    sign(p, gasLimit, bumped, context);
    replacements++;
  }

  /** Both fees raised by the bump and to at least the current fees, the fee cap applied. */
  private Fees bump(Fees old, Fees now) {
    BigInteger factor = THOUSAND.add(BigInteger.valueOf(options.bumpPermille()));
    BigInteger maxFee = ceilDiv(old.maxFee().multiply(factor), THOUSAND).max(now.maxFee());
    maxFee = maxFee.min(options.maxFeePerGasWei()).max(old.maxFee());
    if (old.legacy()) {
      return new Fees(null, maxFee);
    }
    BigInteger tip = ceilDiv(old.tip().multiply(factor), THOUSAND);
    if (!now.legacy()) {
      tip = tip.max(now.tip());
    }
    return new Fees(tip.min(maxFee), maxFee);
  }

  private static BigInteger ceilDiv(BigInteger a, BigInteger b) {
    BigInteger[] qr = a.divideAndRemainder(b);
    return qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE);
  }

  private void sign(Pending p, BigInteger gasLimit, Fees fees, String context) {
    RawTransaction tx =
        fees.legacy()
            ? RawTransaction.createTransaction(
                p.nonce, fees.maxFee(), gasLimit, p.to, p.value, p.data)
            : RawTransaction.createTransaction(
                session.chainId(),
                p.nonce,
                gasLimit,
                p.to,
                p.value,
                p.data,
                fees.tip(),
                fees.maxFee());
    p.signed =
        Numeric.toHexString(TransactionEncoder.signMessage(tx, session.chainId(), credentials));
    p.fees = fees;
    String hash = Hash.sha3(p.signed);
    p.hashes.add(hash);
    LOG.debug("{}: signed tx {} at nonce {} ({})", context, hash, p.nonce, fees);
  }

  /**
   * Broadcasts the newest version of {@code p}: the same bytes again after a transport error; a
   * node that knows it already is fine; an underpriced replacement is bumped again.
   */
  private void broadcast(Pending p, BigInteger gasLimit, String context)
      throws NonceTakenException {
    for (int attempt = 1; ; attempt++) {
      EthSendTransaction sent;
      try {
        sent = session.web3j().ethSendRawTransaction(p.signed).send();
      } catch (IOException e) {
        p.delivered = true; // it may have arrived
        if (attempt >= options.attempts()) {
          throw new L1Exception(
              context
                  + ": eth_sendRawTransaction failed: "
                  + e.getMessage()
                  + "; tx "
                  + p.hashes.getLast()
                  + " at nonce "
                  + p.nonce
                  + " stays pending for the next send of this call",
              e);
        }
        backoff(attempt, context + ": eth_sendRawTransaction", e.getMessage());
        continue;
      }
      if (!sent.hasError()) {
        p.delivered = true;
        return;
      }
      String msg = sent.getError().getMessage();
      String lower = msg.toLowerCase(Locale.ROOT);
      if (lower.contains("already known") || lower.contains("known transaction")) {
        p.delivered = true;
        return;
      }
      if (lower.contains("underpriced") && attempt < options.attempts()) {
        // a version we do not know of (e.g. sent before a restart) pays more: outbid it
        Fees before = p.fees;
        replace(p, gasLimit, context);
        if (p.fees == before) {
          throw new L1Exception(context + ": eth_sendRawTransaction: " + msg, null);
        }
        continue;
      }
      if (lower.contains("nonce")) {
        if (receiptOfAny(p, context).isPresent()) {
          return; // an earlier version was mined: the caller finds its receipt
        }
        throw new NonceTakenException("nonce " + p.nonce + " refused (" + msg + ")");
      }
      if (!p.delivered) {
        pending = null; // no version of it ever reached the node: its nonce is free
      }
      throw new L1Exception(context + ": eth_sendRawTransaction: " + msg, null);
    }
  }

  /** The receipt of any version of {@code p}, if one is mined; transport errors are logged. */
  private Optional<TransactionReceipt> receiptOfAny(Pending p, String context) {
    for (String hash : p.hashes) {
      try {
        EthGetTransactionReceipt r = session.web3j().ethGetTransactionReceipt(hash).send();
        if (r.getTransactionReceipt().isPresent()) {
          return r.getTransactionReceipt();
        }
      } catch (IOException e) {
        LOG.warn("{}: receipt of {} not readable yet: {}", context, hash, e.getMessage());
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  private BigInteger nonce() {
    if (nonce == null) {
      nonce = transactionCount(DefaultBlockParameterName.LATEST);
    }
    return nonce;
  }

  private BigInteger transactionCount(DefaultBlockParameterName block) {
    return retry(
        "eth_getTransactionCount",
        () ->
            session.web3j().ethGetTransactionCount(address(), block).send().getTransactionCount());
  }

  private BigInteger transactionCountOrNull() {
    try {
      return session
          .web3j()
          .ethGetTransactionCount(address(), DefaultBlockParameterName.LATEST)
          .send()
          .getTransactionCount();
    } catch (IOException | RuntimeException e) {
      return null;
    }
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

  /** The fees to offer now: from the next block's base fee, or the legacy gas price; capped. */
  private Fees currentFees() {
    EthFeeHistory.FeeHistory history =
        retry(
            "eth_feeHistory",
            () -> {
              EthFeeHistory h =
                  session
                      .web3j()
                      .ethFeeHistory(1, DefaultBlockParameterName.LATEST, List.of())
                      .send();
              return h.hasError() ? null : h.getFeeHistory();
            });
    List<BigInteger> baseFees = history == null ? null : history.getBaseFeePerGas();
    BigInteger cap = options.maxFeePerGasWei();
    if (baseFees == null || baseFees.isEmpty() || baseFees.getLast() == null) {
      BigInteger gasPrice =
          retry("eth_gasPrice", () -> session.web3j().ethGasPrice().send().getGasPrice());
      return new Fees(null, gasPrice.min(cap));
    }
    BigInteger nextBaseFee = baseFees.getLast(); // the block after the newest
    BigInteger tip;
    try {
      Response<String> r = session.web3j().ethMaxPriorityFeePerGas().send();
      tip = r.hasError() ? DEFAULT_TIP : Numeric.decodeQuantity(r.getResult());
    } catch (IOException | RuntimeException e) {
      tip = DEFAULT_TIP;
    }
    BigInteger maxFee = nextBaseFee.shiftLeft(1).add(tip).min(cap);
    return new Fees(tip.min(maxFee), maxFee);
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
