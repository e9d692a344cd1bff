package io.zkperp.node.v3;

import io.zkperp.l1.L1Session;
import io.zkperp.l1.contracts.ZkPerpRollupV3;
import io.zkperp.node.BatchCommittedLogs;
import io.zkperp.node.BatchRecord;
import io.zkperp.node.RollupContract;
import java.io.IOException;
import java.math.BigInteger;
import java.util.Optional;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.Log;

/**
 * {@code ZkPerpRollupV3} (format v3) as {@link io.zkperp.node.L1Submitter} commits to it: a stored
 * batch's commitment input is the format v3 commitment bytes ({@code
 * SealedBatchV3.witness().commitment()}: the header R₀ ‖ R_S ‖ number ‖ T ‖ P₀ ‖ P_S ‖ priority
 * count, then the records) and its proof the exported verifier's encoding; {@code
 * commitBatch(header, records, proof)} as {@link V3BatchCommit} builds it, and {@code
 * BatchCommitted} (which adds T) read back after a restart. Thread-safe (web3j's wrapper is).
 */
public final class RollupV3Contract implements RollupContract {
  private final L1Session session;
  private final ZkPerpRollupV3 rollup;

  /**
   * Loads the rollup for reading and encoding calls (transactions go through the submitter's {@link
   * io.zkperp.l1.L1Sender}).
   *
   * @param session the L1 connection
   * @param address the rollup's address
   */
  public RollupV3Contract(L1Session session, String address) {
    this.session = session;
    this.rollup =
        ZkPerpRollupV3.load(
            address,
            session.web3j(),
            session.transactionManager(Credentials.create("0x1")),
            session.gas());
  }

  @Override
  public String address() {
    return rollup.getContractAddress();
  }

  @Override
  public long lastBatchNumber() throws IOException {
    return RollupContract.read(rollup.lastBatchNumber()).longValueExact();
  }

  @Override
  public boolean frozen() throws IOException {
    return Boolean.TRUE.equals(RollupContract.read(rollup.frozen()));
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if the commitment is shorter than the v3 header or its batch
   *     number is not the record's
   */
  @Override
  public String commitCall(BatchRecord r) {
    byte[] c = r.commitment();
    ZkPerpRollupV3.BatchHeader h = V3BatchCommit.header(c);
    if (!h.batchNumber.equals(BigInteger.valueOf(r.number()))) {
      throw new IllegalArgumentException(
          "batch "
              + r.number()
              + "'s commitment names batch "
              + h.batchNumber
              + " (not a format v3 commitment of this batch)");
    }
    return rollup.commitBatch(h, V3BatchCommit.records(c), r.proof()).encodeFunctionCall();
  }

  @Override
  public BigInteger newStateRoot(BatchRecord r) {
    return V3BatchCommit.header(r.commitment()).newStateRoot;
  }

  @Override
  public Optional<Committed> committed(long number) throws IOException {
    Optional<Log> log =
        BatchCommittedLogs.newest(session, address(), ZkPerpRollupV3.BATCHCOMMITTED_EVENT, number);
    return log.map(
        l ->
            new Committed(
                ZkPerpRollupV3.getBatchCommittedEventFromLog(l).newStateRoot,
                l.getTransactionHash(),
                l.getBlockNumber().longValueExact()));
  }
}
