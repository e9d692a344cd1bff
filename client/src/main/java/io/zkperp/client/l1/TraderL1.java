package io.zkperp.client.l1;

import io.zkperp.l1.contracts.TestUSD;
import io.zkperp.l1.contracts.ZkPerpRollup;
import io.zkperp.protocol.eddsa.EdDsaPublicKey;
import io.zkperp.protocol.state.L1Address;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.TypeEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.RemoteFunctionCall;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthEstimateGas;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.exceptions.TransactionException;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.gas.StaticGasProvider;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

/**
 * One trader wallet's operations on the rollup contract: deposit (approve, then {@code deposit}
 * with the L2 public key, then confirmations), forced-withdrawal requests, and claims of the
 * pull-payment balance ({@code withdraw}). Every call is simulated with {@code eth_call} first, so
 * a refusal is an {@link L1RevertedException} naming the contract's error and nothing is signed or
 * sent; gas is {@code eth_estimateGas} plus a quarter; the gas price twice {@code eth_gasPrice}
 * (legacy transactions, EIP-155 signed with the chain id).
 *
 * <p>Thread-safety: one thread at a time (one wallet's nonces); reads ({@link #withdrawable}, …)
 * from any thread.
 */
public final class TraderL1 implements AutoCloseable {
  private static final BigInteger GAS_MARGIN_DIVISOR = BigInteger.valueOf(4);

  private final Web3j web3j;
  private final long chainId;
  private final Credentials wallet;
  private final L1Address rollupAddress;
  private final ZkPerpRollup rollup;
  private final TestUSD token;
  private final String tokenAddress;
  private final RawTransactionManager txManager;
  private final PollingTransactionReceiptProcessor receipts;
  private final Duration poll;
  private final Consumer<String> progress;

  private TraderL1(
      Web3j web3j,
      long chainId,
      Credentials wallet,
      L1Address rollupAddress,
      Duration poll,
      Consumer<String> progress)
      throws IOException {
    this.web3j = web3j;
    this.chainId = chainId;
    this.wallet = wallet;
    this.rollupAddress = rollupAddress;
    this.poll = poll;
    this.progress = progress;
    this.receipts =
        new PollingTransactionReceiptProcessor(
            web3j, poll.toMillis(), (int) Math.max(1, Duration.ofMinutes(10).dividedBy(poll)));
    this.txManager = new RawTransactionManager(web3j, wallet, chainId, receipts);
    StaticGasProvider readsOnly = new StaticGasProvider(BigInteger.ONE, BigInteger.ONE);
    this.rollup = ZkPerpRollup.load(rollupAddress.toHex(), web3j, txManager, readsOnly);
    try {
      this.tokenAddress = rollup.COLLATERAL().send();
    } catch (Exception e) {
      throw new IOException(
          "no rollup at " + rollupAddress.toHex() + " (COLLATERAL() failed): " + e.getMessage(), e);
    }
    this.token = TestUSD.load(tokenAddress, web3j, txManager, readsOnly);
  }

  /**
   * Connects to an L1 node and the rollup contract.
   *
   * @param rpcUrl the L1 node's HTTP JSON-RPC endpoint
   * @param wallet the trader's wallet key
   * @param rollup the rollup contract
   * @param poll how often to poll receipts and blocks
   * @param progress where progress lines go (e.g. stderr), one call per line
   * @return the connection
   * @throws L1UnreachableException if the node does not answer or there is no rollup at the address
   */
  public static TraderL1 connect(
      String rpcUrl, Credentials wallet, L1Address rollup, Duration poll, Consumer<String> progress)
      throws L1UnreachableException {
    Web3j web3j = Web3j.build(new HttpService(rpcUrl));
    try {
      long chainId = web3j.ethChainId().send().getChainId().longValueExact();
      return new TraderL1(web3j, chainId, wallet, rollup, poll, progress);
    } catch (IOException | RuntimeException e) {
      web3j.shutdown();
      throw new L1UnreachableException(
          "no answer from the L1 node at " + rpcUrl + " (or no rollup there): " + e.getMessage(),
          e);
    }
  }

  /**
   * The L1 chain id.
   *
   * @return the id from {@code eth_chainId}
   */
  public long chainId() {
    return chainId;
  }

  /**
   * The wallet's address.
   *
   * @return the address
   */
  public L1Address wallet() {
    return L1Address.fromHex(wallet.getAddress());
  }

  /**
   * The rollup's collateral token.
   *
   * @return its address
   */
  public L1Address token() {
    return L1Address.fromHex(tokenAddress);
  }

  /**
   * The wallet's collateral token balance.
   *
   * @return in token units (collateral quanta)
   * @throws IOException on a transport failure
   */
  public BigInteger tokenBalance() throws IOException {
    return read(token.balanceOf(wallet.getAddress()));
  }

  /**
   * The wallet's pull-payment balance on the rollup (credited withdrawals, escapes, reclaimed
   * deposits), which {@link #claim} pays out.
   *
   * @return in collateral quanta
   * @throws IOException on a transport failure
   */
  public BigInteger withdrawable() throws IOException {
    return read(rollup.withdrawable(wallet.getAddress()));
  }

  /**
   * The account the wallet bound to this L2 key with an earlier deposit, from the rollup's {@code
   * AccountBound} events.
   *
   * @param key the L2 public key
   * @return the account, or empty if none
   * @throws IOException on a transport failure
   */
  public OptionalInt boundAccount(EdDsaPublicKey key) throws IOException {
    EthFilter filter =
        new EthFilter(
            DefaultBlockParameterName.EARLIEST,
            DefaultBlockParameterName.LATEST,
            rollupAddress.toHex());
    filter.addSingleTopic(EventEncoder.encode(ZkPerpRollup.ACCOUNTBOUND_EVENT));
    filter.addNullTopic();
    filter.addSingleTopic("0x" + TypeEncoder.encode(new Address(wallet.getAddress())));
    EthLog logs = web3j.ethGetLogs(filter).send();
    if (logs.hasError()) {
      throw new IOException("eth_getLogs: " + logs.getError().getMessage());
    }
    for (EthLog.LogResult<?> r : logs.getLogs()) {
      ZkPerpRollup.AccountBoundEventResponse e =
          ZkPerpRollup.getAccountBoundEventFromLog((Log) r.get());
      if (e.publicKeyX.equals(key.point().x().toBigInteger())
          && e.publicKeyY.equals(key.point().y().toBigInteger())) {
        return OptionalInt.of(e.accountId.intValueExact());
      }
    }
    return OptionalInt.empty();
  }

  /**
   * Deposits collateral for an L2 key: approves the rollup if the allowance is short, deposits to
   * {@code account} (or, if empty, to the account this wallet already bound to the key, or else a
   * new account, {@code nextAccountId}), then waits for {@code confirmations} blocks.
   *
   * @param key the L2 public key the account is (or becomes) bound to
   * @param account the account, or empty to find or create it
   * @param amount collateral quanta, positive
   * @param confirmations blocks to wait for, counting the deposit's own block (at least 1)
   * @param timeout how long to wait for the confirmations
   * @return what was deposited where
   * @throws L1RevertedException if the token or the rollup refuses (nothing further is sent)
   * @throws IllegalArgumentException if the amount is not positive or exceeds the wallet's tokens
   * @throws IOException on a transport failure
   * @throws TimeoutException if the confirmations do not come in time
   * @throws InterruptedException if interrupted
   */
  public Deposit deposit(
      EdDsaPublicKey key, OptionalInt account, long amount, int confirmations, Duration timeout)
      throws IOException, TimeoutException, InterruptedException {
    if (amount <= 0) {
      throw new IllegalArgumentException("the amount must be positive, got " + amount);
    }
    BigInteger value = BigInteger.valueOf(amount);
    BigInteger balance = tokenBalance();
    if (balance.compareTo(value) < 0) {
      throw new IllegalArgumentException(
          "the wallet holds " + balance + " of the collateral token, less than " + amount);
    }
    int id;
    if (account.isPresent()) {
      id = account.getAsInt();
    } else {
      OptionalInt bound = boundAccount(key);
      id = bound.isPresent() ? bound.getAsInt() : read(rollup.nextAccountId()).intValueExact();
    }
    RemoteFunctionCall<TransactionReceipt> depositCall =
        rollup.deposit(
            BigInteger.valueOf(id),
            key.point().x().toBigInteger(),
            key.point().y().toBigInteger(),
            value);
    BigInteger allowance = read(token.allowance(wallet.getAddress(), rollupAddress.toHex()));
    if (allowance.compareTo(value) < 0) {
      // The rollup checks the amount, the key and the account before it pulls the tokens: a
      // deposit it refuses with its own error (not the token's allowance error) is refused here,
      // before the approval is sent.
      String revert =
          simulate(
              Transaction.createFunctionCallTransaction(
                  wallet.getAddress(),
                  null,
                  null,
                  null,
                  rollupAddress.toHex(),
                  BigInteger.ZERO,
                  depositCall.encodeFunctionCall()));
      if (revert != null && RevertDecoder.isRollupError(revert)) {
        throw new L1RevertedException("deposit", revert);
      }
      progress.accept("L1: approving " + amount + " for the rollup");
      send("approve", tokenAddress, token.approve(rollupAddress.toHex(), value), BigInteger.ZERO);
    }
    progress.accept("L1: depositing " + amount + " to account " + id);
    TransactionReceipt r = send("deposit", rollupAddress.toHex(), depositCall, BigInteger.ZERO);
    List<ZkPerpRollup.DepositQueuedEventResponse> queued = ZkPerpRollup.getDepositQueuedEvents(r);
    if (queued.size() != 1) {
      throw new IOException("the deposit's receipt has " + queued.size() + " DepositQueued events");
    }
    boolean bound = !ZkPerpRollup.getAccountBoundEvents(r).isEmpty();
    long block = r.getBlockNumber().longValueExact();
    awaitConfirmations("deposit", block, confirmations, timeout);
    return new Deposit(
        queued.getFirst().accountId.intValueExact(),
        queued.getFirst().index.longValueExact(),
        amount,
        bound,
        r.getTransactionHash(),
        block);
  }

  /**
   * Asks on L1 to withdraw {@code amount} of the account's L2 collateral, paying the rollup's
   * forced-request fee (ether): the operator must serve it within the contract's deadline or anyone
   * may freeze the rollup.
   *
   * @param account the L2 account (bound to this wallet)
   * @param amount collateral quanta, positive
   * @return the request's priority-queue index and its deadline
   * @throws L1RevertedException if refused (e.g. {@code NotAccountOwner})
   * @throws IOException on a transport failure
   */
  public ForcedRequest requestForcedWithdrawal(int account, long amount) throws IOException {
    BigInteger fee = read(rollup.FORCED_REQUEST_FEE());
    progress.accept(
        "L1: requesting a forced withdrawal of "
            + amount
            + " from account "
            + account
            + " (fee "
            + fee
            + " wei)");
    TransactionReceipt r =
        send(
            "requestForcedWithdrawal",
            rollupAddress.toHex(),
            rollup.requestForcedWithdrawal(
                BigInteger.valueOf(account), BigInteger.valueOf(amount), fee),
            fee);
    ZkPerpRollup.ForcedWithdrawalRequestedEventResponse e =
        ZkPerpRollup.getForcedWithdrawalRequestedEvents(r).getFirst();
    return new ForcedRequest(
        e.index.longValueExact(),
        e.deadline.longValueExact(),
        fee,
        r.getTransactionHash(),
        r.getBlockNumber().longValueExact());
  }

  /**
   * Waits until a priority operation (a deposit or a forced withdrawal) is consumed by a batch
   * verified on L1, printing the rollup's progress through the queue; fails early if the rollup
   * freezes.
   *
   * @param queueIndex the operation's index in the priority queue
   * @param timeout how long to wait
   * @throws IOException on a transport failure, or if the rollup is frozen (the operation will
   *     never be served: reclaim, refund or escape instead)
   * @throws TimeoutException if not served in time
   * @throws InterruptedException if interrupted
   */
  public void awaitServed(long queueIndex, Duration timeout)
      throws IOException, TimeoutException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long shown = -1;
    while (true) {
      long consumed = read(rollup.consumedPriorityOps()).longValueExact();
      if (consumed != shown) {
        progress.accept(
            "L1: priority op "
                + queueIndex
                + (consumed > queueIndex
                    ? " served by a verified batch"
                    : " waiting for a verified batch (" + consumed + " ops served so far)"));
        shown = consumed;
      }
      if (consumed > queueIndex) {
        return;
      }
      if (Boolean.TRUE.equals(read(rollup.frozen()))) {
        throw new IOException(
            "the rollup is frozen: priority op " + queueIndex + " will not be served");
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("priority op " + queueIndex + " not served after " + timeout);
      }
      Thread.sleep(poll.toMillis());
    }
  }

  /**
   * Pays the wallet its whole pull-payment balance ({@code withdraw()} on the rollup).
   *
   * @return the amount paid, in collateral quanta
   * @throws L1RevertedException {@code NothingToWithdraw()} if the balance is 0
   * @throws IOException on a transport failure
   */
  public BigInteger claim() throws IOException {
    progress.accept("L1: claiming the pull-payment balance (" + withdrawable() + ")");
    TransactionReceipt r =
        send("withdraw", rollupAddress.toHex(), rollup.withdraw(), BigInteger.ZERO);
    return ZkPerpRollup.getWithdrawnEvents(r).getFirst().amount;
  }

  /**
   * Whether the rollup is frozen (no more batches; escapes, reclaims and refunds only).
   *
   * @return the contract's {@code frozen}
   * @throws IOException on a transport failure
   */
  public boolean frozen() throws IOException {
    return Boolean.TRUE.equals(read(rollup.frozen()));
  }

  /**
   * Freezes the rollup ({@code freeze()}; anyone may): possible once the oldest unserved priority
   * operation (a deposit or a forced withdrawal) is past its deadline.
   *
   * @return the overdue operation that froze it and the transaction
   * @throws L1RevertedException {@code DeadlineNotReached(deadline)}, {@code NothingOverdue()} or
   *     {@code RollupFrozen()} (already frozen); nothing is sent
   * @throws IOException on a transport failure
   */
  public Freeze freeze() throws IOException {
    progress.accept("L1: freezing the rollup");
    TransactionReceipt r = send("freeze", rollupAddress.toHex(), rollup.freeze(), BigInteger.ZERO);
    ZkPerpRollup.FrozenEventResponse e = ZkPerpRollup.getFrozenEvents(r).getFirst();
    return new Freeze(
        e.index.longValueExact(), r.getTransactionHash(), r.getBlockNumber().longValueExact());
  }

  /**
   * Escapes an account from a frozen rollup ({@code escape(proof)}; anyone may send it): the
   * contract checks the proof against its last verified state root and credits the account's
   * collateral to the leaf's L1 owner's pull-payment balance, once per account. The owner then
   * {@link #claim}s it.
   *
   * @param argument the proof, from the node's {@code perp_getEscapeProof}
   * @return what was credited to whom
   * @throws L1RevertedException {@code NotFrozen()}, {@code AlreadyEscaped(account)}, {@code
   *     InvalidEscapeProof(computed, stored)} (a proof of another root), {@code
   *     NegativeCollateral}; nothing is sent
   * @throws IOException on a transport failure
   */
  public Escape escape(EscapeArgument argument) throws IOException {
    progress.accept(
        "L1: escaping account "
            + argument.account()
            + " with its proof at batch "
            + argument.batch()
            + " (collateral "
            + argument.collateral()
            + " to "
            + argument.l1Owner()
            + ")");
    TransactionReceipt r =
        send("escape", rollupAddress.toHex(), rollup.escape(argument.proof()), BigInteger.ZERO);
    ZkPerpRollup.EscapedEventResponse e = ZkPerpRollup.getEscapedEvents(r).getFirst();
    return new Escape(
        e.accountId.intValueExact(),
        e.owner,
        e.amount,
        r.getTransactionHash(),
        r.getBlockNumber().longValueExact());
  }

  /**
   * Escapes an account from a frozen format v3 rollup ({@code ZkPerpRollupV3.escape(proof)}; anyone
   * may send it): the contract checks the account proof and its market proofs against its last
   * verified state root and credits what {@code EscapeV2.payout} owes (collateral + funding + the
   * positions' value at the proven oracle prices, 0 if negative), capped at the verified collateral
   * left, to the leaf's L1 owner, once per account. The owner then {@link #claim}s it.
   *
   * @param argument the proof, from a format v3 node's {@code perp_getEscapeProof}
   * @return what was credited to whom
   * @throws L1RevertedException {@code NotFrozen()}, {@code AlreadyEscaped(account)}, {@code
   *     StateRootMismatch(expected, actual)} (a proof of another root), {@code
   *     InsuranceFundCannotEscape()}; nothing is sent
   * @throws IOException on a transport failure
   */
  public Escape escape(EscapeArgumentV3 argument) throws IOException {
    progress.accept(
        "L1: escaping account "
            + argument.account()
            + " with its proof at batch "
            + argument.batch()
            + " ("
            + argument.proof().markets.size()
            + " position(s), owed "
            + argument.owed()
            + " to "
            + argument.l1Owner()
            + ")");
    io.zkperp.l1.contracts.ZkPerpRollupV3 v3 =
        io.zkperp.l1.contracts.ZkPerpRollupV3.load(
            rollupAddress.toHex(),
            web3j,
            txManager,
            new StaticGasProvider(BigInteger.ONE, BigInteger.ONE)); // encodes the call only
    TransactionReceipt r =
        send("escape", rollupAddress.toHex(), v3.escape(argument.proof()), BigInteger.ZERO);
    io.zkperp.l1.contracts.ZkPerpRollupV3.EscapedEventResponse e =
        io.zkperp.l1.contracts.ZkPerpRollupV3.getEscapedEvents(r).getFirst();
    return new Escape(
        e.accountId.intValueExact(),
        e.owner,
        e.credited,
        r.getTransactionHash(),
        r.getBlockNumber().longValueExact());
  }

  /**
   * Waits until the chain's head is {@code confirmations − 1} blocks past {@code block}, printing
   * each new count.
   *
   * @param what what is waited for (for the progress lines)
   * @param block the transaction's block
   * @param confirmations at least 1
   * @param timeout how long to wait
   * @throws IOException on a transport failure
   * @throws TimeoutException if not confirmed in time
   * @throws InterruptedException if interrupted
   */
  public void awaitConfirmations(String what, long block, int confirmations, Duration timeout)
      throws IOException, TimeoutException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long shown = -1;
    while (true) {
      long head = web3j.ethBlockNumber().send().getBlockNumber().longValueExact();
      long have = Math.max(0, head - block + 1);
      if (have != shown) {
        progress.accept(
            "L1: "
                + what
                + " in block "
                + block
                + ", "
                + Math.min(have, confirmations)
                + "/"
                + confirmations
                + " confirmations");
        shown = have;
      }
      if (have >= confirmations) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException(
            what + ": " + have + " of " + confirmations + " confirmations after " + timeout);
      }
      Thread.sleep(poll.toMillis());
    }
  }

  private TransactionReceipt send(
      String what, String to, RemoteFunctionCall<TransactionReceipt> call, BigInteger value)
      throws IOException {
    String data = call.encodeFunctionCall();
    Transaction sim =
        Transaction.createFunctionCallTransaction(
            wallet.getAddress(), null, null, null, to, value, data);
    String revert = simulate(sim);
    if (revert != null) {
      throw new L1RevertedException(what, revert);
    }
    EthEstimateGas est = web3j.ethEstimateGas(sim).send();
    if (est.hasError()) {
      throw new L1RevertedException(what, est.getError().getMessage());
    }
    BigInteger gas = est.getAmountUsed();
    gas = gas.add(gas.divide(GAS_MARGIN_DIVISOR));
    BigInteger gasPrice = web3j.ethGasPrice().send().getGasPrice().shiftLeft(1);
    EthSendTransaction sent = txManager.sendTransaction(gasPrice, gas, to, data, value);
    if (sent.hasError()) {
      throw new IOException(what + ": " + sent.getError().getMessage());
    }
    progress.accept("L1: " + what + " sent, tx " + sent.getTransactionHash());
    TransactionReceipt r;
    try {
      r = receipts.waitForTransactionReceipt(sent.getTransactionHash());
    } catch (TransactionException e) {
      throw new IOException(what + ": no receipt for " + sent.getTransactionHash(), e);
    }
    if (!r.isStatusOK()) {
      throw new L1RevertedException(
          what, "mined with status " + r.getStatus() + " in tx " + r.getTransactionHash());
    }
    return r;
  }

  /** Runs the call with eth_call; returns its decoded revert, or null if it succeeds. */
  private String simulate(Transaction sim) throws IOException {
    EthCall result = web3j.ethCall(sim, DefaultBlockParameterName.LATEST).send();
    if (result.isReverted() || result.hasError()) {
      String revert =
          result.hasError() && result.getError().getData() != null
              ? result.getError().getData().toString().replace("\"", "")
              : result.getRevertReason();
      return RevertDecoder.decode(revert);
    }
    return null;
  }

  private static <T> T read(RemoteFunctionCall<T> call) throws IOException {
    try {
      return call.send();
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /**
   * The chain's current head.
   *
   * @return the block number
   * @throws IOException on a transport failure
   */
  public long headBlock() throws IOException {
    return web3j.ethBlockNumber().send().getBlockNumber().longValueExact();
  }

  /** Stops web3j's HTTP client. Calling thread. */
  @Override
  public void close() {
    web3j.shutdown();
  }

  /**
   * A confirmed deposit.
   *
   * @param account the L2 account credited
   * @param queueIndex its index in the priority queue
   * @param amount collateral quanta
   * @param newAccount whether this deposit bound the account
   * @param txHash the transaction
   * @param block its block
   */
  public record Deposit(
      int account, long queueIndex, long amount, boolean newAccount, String txHash, long block) {}

  /**
   * A freeze.
   *
   * @param queueIndex the overdue priority operation that allowed it
   * @param txHash the transaction
   * @param block its block
   */
  public record Freeze(long queueIndex, String txHash, long block) {}

  /**
   * An escape.
   *
   * @param account the account escaped
   * @param owner the L1 owner credited
   * @param amount collateral quanta credited to the owner's pull-payment balance
   * @param txHash the transaction
   * @param block its block
   */
  public record Escape(int account, String owner, BigInteger amount, String txHash, long block) {}

  /**
   * A forced-withdrawal request on L1.
   *
   * @param queueIndex its index in the priority queue
   * @param deadline unix time by which the operator must serve it
   * @param feeWei the fee paid
   * @param txHash the transaction
   * @param block its block
   */
  public record ForcedRequest(
      long queueIndex, long deadline, BigInteger feeWei, String txHash, long block) {}
}
