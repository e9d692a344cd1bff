package io.zkperp.node;

import io.zkperp.l1.L1Session;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.TypeEncoder;
import org.web3j.abi.datatypes.Event;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;

/**
 * Finds a rollup's {@code BatchCommitted} log of one batch number: both rollup formats index the
 * batch number (uint64) as the event's first topic. Stateless; any thread.
 */
public final class BatchCommittedLogs {
  private BatchCommittedLogs() {}

  /**
   * The newest log of {@code event} for batch {@code number} at {@code address}, from block 0.
   *
   * @param session the L1 connection
   * @param address the rollup
   * @param event the contract's {@code BatchCommitted} event
   * @param number the batch number
   * @return the log, empty if there is none
   * @throws IOException if {@code eth_getLogs} fails
   */
  public static Optional<Log> newest(L1Session session, String address, Event event, long number)
      throws IOException {
    EthFilter f =
        new EthFilter(
            DefaultBlockParameter.valueOf(BigInteger.ZERO),
            DefaultBlockParameter.valueOf("latest"),
            address);
    f.addSingleTopic(EventEncoder.encode(event));
    f.addSingleTopic("0x" + TypeEncoder.encode(new Uint64(number)));
    EthLog logs = session.web3j().ethGetLogs(f).send();
    if (logs.hasError()) {
      throw new IOException("eth_getLogs: " + logs.getError().getMessage());
    }
    List<EthLog.LogResult<?>> all = new ArrayList<>();
    for (EthLog.LogResult<?> l : logs.getLogs()) {
      all.add(l);
    }
    return all.isEmpty() ? Optional.empty() : Optional.of((Log) all.get(all.size() - 1).get());
  }
}
