package io.zkperp.node;

import io.zkperp.batcher.BatchWitness;
import io.zkperp.l1.BatchCommit;
import io.zkperp.l1.L1Session;
import io.zkperp.l1.contracts.ZkPerpRollup;
import java.io.IOException;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Optional;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.Log;

/**
 * {@code ZkPerpRollup} (format v2) as {@link L1Submitter} commits to it: a batch's commitment input
 * is docs/batch-format.md §2 (old root, new root, …, chunks after {@link
 * BatchWitness#COMMITMENT_HEADER_BYTES}); {@code commitBatch(number, oldRoot, newRoot,
 * priorityCount, chunks, proof)}. Thread-safe (web3j's wrapper is).
 */
public final class RollupV2Contract implements RollupContract {
  private final L1Session session;
  private final ZkPerpRollup rollup;

  /**
   * Loads the rollup for reading and encoding calls (transactions go through the submitter's {@link
   * io.zkperp.l1.L1Sender}).
   *
   * @param session the L1 connection
   * @param address the rollup's address
   */
  public RollupV2Contract(L1Session session, String address) {
    this.session = session;
    this.rollup =
        ZkPerpRollup.load(
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

  @Override
  public String commitCall(BatchRecord r) {
    byte[] c = r.commitment();
    BatchCommit commit =
        new BatchCommit(
            r.number(),
            new BigInteger(1, Arrays.copyOfRange(c, 0, 32)),
            new BigInteger(1, Arrays.copyOfRange(c, 32, 64)),
            r.priorityCount(),
            Arrays.copyOfRange(c, BatchWitness.COMMITMENT_HEADER_BYTES, c.length),
            r.proof());
    return commit.call(rollup).encodeFunctionCall();
  }

  @Override
  public BigInteger newStateRoot(BatchRecord r) {
    return new BigInteger(1, Arrays.copyOfRange(r.commitment(), 32, 64));
  }

  @Override
  public Optional<Committed> committed(long number) throws IOException {
    Optional<Log> log =
        BatchCommittedLogs.newest(session, address(), ZkPerpRollup.BATCHCOMMITTED_EVENT, number);
    return log.map(
        l ->
            new Committed(
                ZkPerpRollup.getBatchCommittedEventFromLog(l).newStateRoot,
                l.getTransactionHash(),
                l.getBlockNumber().longValueExact()));
  }
}
