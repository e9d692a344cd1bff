package io.zkperp.l1;

import io.zkperp.l1.contracts.ZkPerpRollup;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.web3j.abi.EventEncoder;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;

/**
 * Reads the rollup's L1 priority queue — its {@code DepositQueued} and {@code
 * ForcedWithdrawalRequested} events — so the batcher can consume the operations in order.
 * Stateless; any thread.
 */
public final class PriorityQueue {
  /** Topic 0 of {@code DepositQueued}. */
  static final String DEPOSIT_TOPIC = EventEncoder.encode(ZkPerpRollup.DEPOSITQUEUED_EVENT);

  /** Topic 0 of {@code ForcedWithdrawalRequested}. */
  static final String FORCED_TOPIC =
      EventEncoder.encode(ZkPerpRollup.FORCEDWITHDRAWALREQUESTED_EVENT);

  private PriorityQueue() {}

  /**
   * The queued operations with index ≥ {@code fromIndex}, in queue order.
   *
   * @param session the L1 connection
   * @param rollup the rollup's address
   * @param fromIndex the first queue index wanted (the rollup's {@code consumedPriorityOps} for the
   *     pending ones)
   * @return the operations, ascending by index, without gaps
   * @throws L1Exception if the logs cannot be read or have gaps
   */
  public static List<L1PriorityOp> read(L1Session session, String rollup, long fromIndex) {
    EthFilter filter =
        new EthFilter(DefaultBlockParameterName.EARLIEST, DefaultBlockParameterName.LATEST, rollup);
    filter.addOptionalTopics(DEPOSIT_TOPIC, FORCED_TOPIC);
    EthLog logs;
    try {
      logs = session.web3j().ethGetLogs(filter).send();
    } catch (IOException e) {
      throw new L1Exception("eth_getLogs failed: " + e.getMessage(), e);
    }
    if (logs.hasError()) {
      throw new L1Exception("eth_getLogs: " + logs.getError().getMessage(), null);
    }
    List<L1PriorityOp> out = new ArrayList<>();
    for (EthLog.LogResult<?> r : logs.getLogs()) {
      L1PriorityOp op = decode((Log) r.get());
      if (op.index() >= fromIndex) {
        out.add(op);
      }
    }
    out.sort(Comparator.comparingLong(L1PriorityOp::index));
    for (int i = 0; i < out.size(); i++) {
      if (out.get(i).index() != fromIndex + i) {
        throw new L1Exception(
            "priority queue has a gap: expected index "
                + (fromIndex + i)
                + ", got "
                + out.get(i).index(),
            null);
      }
    }
    return out;
  }

  /**
   * Decodes one {@code DepositQueued} or {@code ForcedWithdrawalRequested} log of the rollup.
   *
   * @param log the log (its first topic is one of the two events' signatures)
   * @return the operation
   * @throws L1Exception if the log is neither event
   */
  static L1PriorityOp decode(Log log) {
    String topic = log.getTopics().isEmpty() ? "" : log.getTopics().get(0);
    if (topic.equals(DEPOSIT_TOPIC)) {
      ZkPerpRollup.DepositQueuedEventResponse e = ZkPerpRollup.getDepositQueuedEventFromLog(log);
      return L1Deposit.of(
          e.index,
          e.accountId,
          e.owner,
          e.publicKeyX,
          e.publicKeyY,
          e.amount,
          e.priorityHash,
          e.deadline);
    }
    if (topic.equals(FORCED_TOPIC)) {
      ZkPerpRollup.ForcedWithdrawalRequestedEventResponse e =
          ZkPerpRollup.getForcedWithdrawalRequestedEventFromLog(log);
      return L1ForcedWithdrawal.of(
          e.index, e.accountId, e.owner, e.amount, e.priorityHash, e.deadline);
    }
    throw new L1Exception("not a priority-queue event: topic " + topic, null);
  }
}
