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
 * Reads the rollup's L1 priority queue (its {@code DepositQueued} events) so the batcher can
 * consume deposits in order. Stateless; any thread.
 */
public final class DepositQueue {
  private DepositQueue() {}

  /**
   * The queued deposits with index ≥ {@code fromIndex}, in queue order.
   *
   * @param session the L1 connection
   * @param rollup the rollup's address
   * @param fromIndex the first queue index wanted (the rollup's {@code consumedPriorityOps} for the
   *     pending ones)
   * @return the deposits, ascending by index, without gaps
   * @throws L1Exception if the logs cannot be read or have gaps
   */
  public static List<L1Deposit> read(L1Session session, String rollup, long fromIndex) {
    EthFilter filter =
        new EthFilter(DefaultBlockParameterName.EARLIEST, DefaultBlockParameterName.LATEST, rollup);
    filter.addSingleTopic(EventEncoder.encode(ZkPerpRollup.DEPOSITQUEUED_EVENT));
    EthLog logs;
    try {
      logs = session.web3j().ethGetLogs(filter).send();
    } catch (IOException e) {
      throw new L1Exception("eth_getLogs failed: " + e.getMessage(), e);
    }
    if (logs.hasError()) {
      throw new L1Exception("eth_getLogs: " + logs.getError().getMessage(), null);
    }
    List<L1Deposit> out = new ArrayList<>();
    for (EthLog.LogResult<?> r : logs.getLogs()) {
      ZkPerpRollup.DepositQueuedEventResponse e =
          ZkPerpRollup.getDepositQueuedEventFromLog((Log) r.get());
      L1Deposit d =
          L1Deposit.of(
              e.index,
              e.accountId,
              e.owner,
              e.publicKeyX,
              e.publicKeyY,
              e.amount,
              e.priorityHash,
              e.deadline);
      if (d.index() >= fromIndex) {
        out.add(d);
      }
    }
    out.sort(Comparator.comparingLong(L1Deposit::index));
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
}
