package io.zkperp.node.v3;

import io.zkperp.l1.L1Session;
import io.zkperp.l1.contracts.ZkPerpRollupV3;
import java.math.BigInteger;
import java.util.Objects;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Commits a sealed format v3 batch with its proof to {@code ZkPerpRollupV3} through the web3j
 * wrapper: the header in commitment order (number, R₀, R_S, T, P₀, P_S, priority count), the
 * records ({@link SealedBatchV3#records}) and the proof in the exported verifier's encoding. The
 * call is simulated first ({@link L1Session#send}): a batch the contract refuses is an {@link
 * io.zkperp.l1.L1RevertException} with the contract's error, and nothing is sent. Strict ordering,
 * nonces, fee bumping and restart reconciliation are the submitter's (node/README.md, "Wiring the
 * v3 path into RollupNode"). Stateless; any thread (the wrapper's transaction manager decides which
 * may send concurrently).
 */
public final class V3BatchCommit {
  private V3BatchCommit() {}

  /**
   * The wrapper's header of a sealed batch.
   *
   * @param b the batch
   * @return the header struct
   */
  public static ZkPerpRollupV3.BatchHeader header(SealedBatchV3 b) {
    Objects.requireNonNull(b, "b");
    return new ZkPerpRollupV3.BatchHeader(
        BigInteger.valueOf(b.batchNumber()),
        b.header().stateRootBefore().toBigInteger(),
        b.newRoot().toBigInteger(),
        new BigInteger(Long.toUnsignedString(b.batchTime())),
        b.header().priorityBefore().toBigInteger(),
        b.priorityAfter().toBigInteger(),
        BigInteger.valueOf(b.witness().priorityCount()));
  }

  /**
   * Simulates and sends {@code commitBatch}, waiting for the receipt.
   *
   * @param l1 the session
   * @param operator the operator's address (the wrapper's signer, holder of OPERATOR_ROLE)
   * @param rollup the rollup, loaded with the operator's transaction manager
   * @param b the sealed batch
   * @param solidityProof the proof as the exported verifier takes it ({@code
   *     BatchProof.solidity()})
   * @return the successful receipt
   * @throws io.zkperp.l1.L1RevertException the contract refuses the batch (nothing sent)
   * @throws io.zkperp.l1.L1Exception a transport failure or a failed receipt
   */
  public static TransactionReceipt commit(
      L1Session l1, String operator, ZkPerpRollupV3 rollup, SealedBatchV3 b, byte[] solidityProof) {
    return l1.send(
        operator,
        rollup.getContractAddress(),
        rollup.commitBatch(header(b), b.records(), solidityProof),
        "commitBatch " + b.batchNumber());
  }
}
