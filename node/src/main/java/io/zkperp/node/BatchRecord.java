package io.zkperp.node;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What the node keeps about one batch: the journal records it settles, its witness, its state, its
 * proof and where it landed on L1. Immutable; any thread. Byte arrays are copied.
 *
 * @param number the batch number (1, 2, …; the state tree's version after it)
 * @param firstSeq the first journal sequence settled by it (records before it are in earlier
 *     batches)
 * @param lastSeq the last journal sequence settled by it
 * @param txCount transactions in it (without padding)
 * @param priorityCount L1 priority operations it consumes
 * @param priorityHashAfter the L1 priority rolling hash after it (32 bytes, big-endian)
 * @param witness the encoded witness (docs/batch-format.md §3)
 * @param commitment the commitment input (docs/batch-format.md §2: roots, batch number, priority
 *     hashes and count, chunks), from which L1's {@code commitBatch} arguments are built
 * @param status its state
 * @param proof the proof in the Solidity verifier's encoding (empty until proven)
 * @param l1TxHash the commit transaction's hash ("" until committed)
 * @param l1Block the commit transaction's block (-1 until committed)
 * @param detail the failure's message ("" unless failed)
 * @param l1GasUsed the gas the commit transaction used, from its receipt (-1 until committed, and
 *     for a batch the node found committed on L1 rather than committed itself)
 */
public record BatchRecord(
    long number,
    long firstSeq,
    long lastSeq,
    int txCount,
    int priorityCount,
    byte[] priorityHashAfter,
    byte[] witness,
    byte[] commitment,
    BatchStatus status,
    byte[] proof,
    String l1TxHash,
    long l1Block,
    String detail,
    long l1GasUsed) {
  /** The stored form: format 2 adds the commit's gas at the end; format 1 is still read. */
  private static final int FORMAT = 2;

  private static final int FORMAT_WITHOUT_GAS = 1;

  /** Checks and copies. */
  public BatchRecord {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(l1TxHash, "l1TxHash");
    Objects.requireNonNull(detail, "detail");
    if (number < 1 || priorityHashAfter.length != 32) {
      throw new IllegalArgumentException("batch number ≥ 1 and a 32-byte priority hash");
    }
    if (l1GasUsed < -1) {
      throw new IllegalArgumentException("gas used ≥ 0, or -1 if unknown: " + l1GasUsed);
    }
    priorityHashAfter = priorityHashAfter.clone();
    witness = witness.clone();
    commitment = commitment.clone();
    proof = proof.clone();
  }

  /**
   * A record without the commit's gas (unknown: -1).
   *
   * @param number see the record
   * @param firstSeq see the record
   * @param lastSeq see the record
   * @param txCount see the record
   * @param priorityCount see the record
   * @param priorityHashAfter see the record
   * @param witness see the record
   * @param commitment see the record
   * @param status see the record
   * @param proof see the record
   * @param l1TxHash see the record
   * @param l1Block see the record
   * @param detail see the record
   */
  public BatchRecord(
      long number,
      long firstSeq,
      long lastSeq,
      int txCount,
      int priorityCount,
      byte[] priorityHashAfter,
      byte[] witness,
      byte[] commitment,
      BatchStatus status,
      byte[] proof,
      String l1TxHash,
      long l1Block,
      String detail) {
    this(
        number,
        firstSeq,
        lastSeq,
        txCount,
        priorityCount,
        priorityHashAfter,
        witness,
        commitment,
        status,
        proof,
        l1TxHash,
        l1Block,
        detail,
        -1);
  }

  /**
   * A freshly sealed batch.
   *
   * @param number the batch number
   * @param firstSeq first journal sequence
   * @param lastSeq last journal sequence
   * @param txCount transactions
   * @param priorityCount priority operations
   * @param priorityHashAfter rolling hash after it
   * @param witness the witness
   * @param commitment the commitment input
   * @return the record, {@link BatchStatus#SEALED}
   */
  public static BatchRecord sealed(
      long number,
      long firstSeq,
      long lastSeq,
      int txCount,
      int priorityCount,
      byte[] priorityHashAfter,
      byte[] witness,
      byte[] commitment) {
    return new BatchRecord(
        number,
        firstSeq,
        lastSeq,
        txCount,
        priorityCount,
        priorityHashAfter,
        witness,
        commitment,
        BatchStatus.SEALED,
        new byte[0],
        "",
        -1,
        "",
        -1);
  }

  /**
   * The priority hash after this batch.
   *
   * @return a copy
   */
  @Override
  public byte[] priorityHashAfter() {
    return priorityHashAfter.clone();
  }

  /**
   * The witness.
   *
   * @return a copy
   */
  @Override
  public byte[] witness() {
    return witness.clone();
  }

  /**
   * The commitment input.
   *
   * @return a copy
   */
  @Override
  public byte[] commitment() {
    return commitment.clone();
  }

  /**
   * The proof (Solidity encoding).
   *
   * @return a copy (empty until proven)
   */
  @Override
  public byte[] proof() {
    return proof.clone();
  }

  /**
   * This record in another state.
   *
   * @param s the state
   * @return the copy
   */
  public BatchRecord withStatus(BatchStatus s) {
    return progressed(s, proof, l1TxHash, l1Block, detail, l1GasUsed);
  }

  /**
   * This record proven.
   *
   * @param solidityProof the proof
   * @return the copy, {@link BatchStatus#PROVEN}
   */
  public BatchRecord proven(byte[] solidityProof) {
    return progressed(BatchStatus.PROVEN, solidityProof, l1TxHash, l1Block, detail, l1GasUsed);
  }

  /**
   * This record committed on L1, the gas its commit used unknown (a commit found on L1).
   *
   * @param txHash the transaction's hash
   * @param block its block
   * @return the copy, {@link BatchStatus#COMMITTED}
   */
  public BatchRecord committed(String txHash, long block) {
    return committed(txHash, block, -1);
  }

  /**
   * This record committed on L1 by a transaction whose receipt says the gas it used.
   *
   * @param txHash the transaction's hash
   * @param block its block
   * @param gasUsed the receipt's {@code gasUsed} (≥ 0), or -1 if unknown
   * @return the copy, {@link BatchStatus#COMMITTED}
   */
  public BatchRecord committed(String txHash, long block, long gasUsed) {
    return progressed(BatchStatus.COMMITTED, proof, txHash, block, detail, gasUsed);
  }

  /**
   * This record failed.
   *
   * @param why the failure
   * @return the copy, {@link BatchStatus#FAILED}
   */
  public BatchRecord failed(String why) {
    return progressed(BatchStatus.FAILED, proof, l1TxHash, l1Block, why, l1GasUsed);
  }

  /** This batch (same journal records, witness and commitment) at another point of its way. */
  private BatchRecord progressed(
      BatchStatus s, byte[] newProof, String txHash, long block, String why, long gas) {
    return new BatchRecord(
        number,
        firstSeq,
        lastSeq,
        txCount,
        priorityCount,
        priorityHashAfter,
        witness,
        commitment,
        s,
        newProof,
        txHash,
        block,
        why,
        gas);
  }

  /**
   * The stored form.
   *
   * @return the bytes
   */
  public byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(FORMAT);
      out.writeLong(number);
      out.writeLong(firstSeq);
      out.writeLong(lastSeq);
      out.writeInt(txCount);
      out.writeInt(priorityCount);
      out.write(priorityHashAfter);
      out.writeByte(status.ordinal());
      out.writeLong(l1Block);
      writeBytes(out, witness);
      writeBytes(out, commitment);
      writeBytes(out, proof);
      writeBytes(out, l1TxHash.getBytes(StandardCharsets.UTF_8));
      writeBytes(out, detail.getBytes(StandardCharsets.UTF_8));
      out.writeLong(l1GasUsed);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * Reads a record written by {@link #encode}.
   *
   * @param bytes the stored form
   * @return the record
   * @throws IOException if the bytes are not a record of this format
   */
  public static BatchRecord decode(byte[] bytes) throws IOException {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      int format = in.readInt();
      if (format != FORMAT && format != FORMAT_WITHOUT_GAS) {
        throw new IOException(
            "batch record format " + format + ", expected " + FORMAT_WITHOUT_GAS + " or " + FORMAT);
      }
      long number = in.readLong();
      long firstSeq = in.readLong();
      long lastSeq = in.readLong();
      int txCount = in.readInt();
      int priorityCount = in.readInt();
      byte[] hash = in.readNBytes(32);
      int status = in.readUnsignedByte();
      if (status >= BatchStatus.values().length) {
        throw new IOException("batch record: unknown status " + status);
      }
      long block = in.readLong();
      byte[] witness = readBytes(in);
      byte[] commitment = readBytes(in);
      byte[] proof = readBytes(in);
      String tx = new String(readBytes(in), StandardCharsets.UTF_8);
      String detail = new String(readBytes(in), StandardCharsets.UTF_8);
      long gas = format == FORMAT ? in.readLong() : -1;
      if (in.available() != 0) {
        throw new IOException("batch record: trailing bytes");
      }
      return new BatchRecord(
          number,
          firstSeq,
          lastSeq,
          txCount,
          priorityCount,
          hash,
          witness,
          commitment,
          BatchStatus.values()[status],
          proof,
          tx,
          block,
          detail,
          gas);
    } catch (IllegalArgumentException | java.io.EOFException e) {
      throw new IOException("batch record damaged: " + e.getMessage(), e);
    }
  }

  private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
    out.writeInt(b.length);
    out.write(b);
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > in.available()) {
      throw new IOException("batch record: length " + n + " out of range");
    }
    return in.readNBytes(n);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BatchRecord r && java.util.Arrays.equals(r.encode(), encode());
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(encode());
  }

  @Override
  public String toString() {
    return "batch "
        + number
        + " "
        + status
        + " (journal "
        + firstSeq
        + "-"
        + lastSeq
        + ", "
        + txCount
        + " txs"
        + (l1Block >= 0 ? ", L1 " + l1TxHash + " @" + l1Block : "")
        + (l1GasUsed >= 0 ? " gas " + l1GasUsed : "")
        + ")";
  }
}
