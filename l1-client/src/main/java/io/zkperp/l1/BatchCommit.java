package io.zkperp.l1;

import io.zkperp.batcher.BatchWitness;
import io.zkperp.l1.contracts.ZkPerpRollup;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Objects;
import org.web3j.protocol.core.RemoteFunctionCall;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * The arguments of {@code ZkPerpRollup.commitBatch} for a sealed batch and its proof: batch number,
 * old and new state roots, number of deposits consumed, the slots' public-data chunks (37 bytes
 * each, docs/batch-format.md §2) and the proof in the Solidity verifier's encoding. The contract
 * recomputes the public input from exactly these bytes and its stored priority hashes. Immutable;
 * any thread.
 *
 * @param batchNumber the batch number (the contract's last batch number + 1)
 * @param oldStateRoot the state root before the batch
 * @param newStateRoot the state root after it
 * @param priorityCount deposits consumed from the L1 queue
 * @param chunks the public data, {@code 37 × slots} bytes
 * @param proof the Groth16 proof as the exported verifier reads it
 */
public record BatchCommit(
    long batchNumber,
    BigInteger oldStateRoot,
    BigInteger newStateRoot,
    int priorityCount,
    byte[] chunks,
    byte[] proof) {

  /** Copies the arrays. */
  public BatchCommit {
    Objects.requireNonNull(oldStateRoot, "oldStateRoot");
    Objects.requireNonNull(newStateRoot, "newStateRoot");
    chunks = chunks.clone();
    proof = proof.clone();
    if (chunks.length == 0 || chunks.length % BatchWitness.CHUNK_BYTES != 0) {
      throw new IllegalArgumentException(
          "chunks must be a positive multiple of " + BatchWitness.CHUNK_BYTES + " bytes");
    }
  }

  /**
   * The commit of a sealed batch.
   *
   * @param witness the batch (from {@code BatchExecutor.seal})
   * @param solidityProof its proof in the Solidity encoding ({@code BatchProof.solidity()})
   * @return the commit arguments
   */
  public static BatchCommit of(BatchWitness witness, byte[] solidityProof) {
    byte[] input = witness.commitmentInput();
    return new BatchCommit(
        witness.batchNumber(),
        witness.before().stateRoot().toBigInteger(),
        witness.after().stateRoot().toBigInteger(),
        witness.priorityCount(),
        Arrays.copyOfRange(input, BatchWitness.COMMITMENT_HEADER_BYTES, input.length),
        solidityProof);
  }

  /**
   * The wrapper call committing this batch.
   *
   * @param rollup the rollup wrapper, bound to the operator's key
   * @return the call (send it with {@link L1Session#send})
   */
  public RemoteFunctionCall<TransactionReceipt> call(ZkPerpRollup rollup) {
    return rollup.commitBatch(
        BigInteger.valueOf(batchNumber),
        oldStateRoot,
        newStateRoot,
        BigInteger.valueOf(priorityCount),
        chunks.clone(),
        proof.clone());
  }

  /**
   * The public data.
   *
   * @return a copy
   */
  @Override
  public byte[] chunks() {
    return chunks.clone();
  }

  /**
   * The proof bytes.
   *
   * @return a copy
   */
  @Override
  public byte[] proof() {
    return proof.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BatchCommit c
        && batchNumber == c.batchNumber
        && oldStateRoot.equals(c.oldStateRoot)
        && newStateRoot.equals(c.newStateRoot)
        && priorityCount == c.priorityCount
        && Arrays.equals(chunks, c.chunks)
        && Arrays.equals(proof, c.proof);
  }

  @Override
  public int hashCode() {
    return Objects.hash(batchNumber, oldStateRoot, newStateRoot, priorityCount)
        ^ Arrays.hashCode(chunks)
        ^ Arrays.hashCode(proof);
  }

  @Override
  public String toString() {
    return "BatchCommit[batch="
        + batchNumber
        + ", oldRoot=0x"
        + oldStateRoot.toString(16)
        + ", newRoot=0x"
        + newStateRoot.toString(16)
        + ", priorityCount="
        + priorityCount
        + ", slots="
        + chunks.length / BatchWitness.CHUNK_BYTES
        + ", proofBytes="
        + proof.length
        + "]";
  }
}
