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
    String detail) {
  private static final int FORMAT = 1;

  /** Checks and copies. */
  public BatchRecord {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(l1TxHash, "l1TxHash");
    Objects.requireNonNull(detail, "detail");
    if (number < 1 || priorityHashAfter.length != 32) {
      throw new IllegalArgumentException("batch number ≥ 1 and a 32-byte priority hash");
    }
    priorityHashAfter = priorityHashAfter.clone();
    witness = witness.clone();
    commitment = commitment.clone();
    proof = proof.clone();
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
        "");
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
    return progressed(s, proof, l1TxHash, l1Block, detail);
  }

  /**
   * This record proven.
   *
   * @param solidityProof the proof
   * @return the copy, {@link BatchStatus#PROVEN}
   */
  public BatchRecord proven(byte[] solidityProof) {
    return progressed(BatchStatus.PROVEN, solidityProof, l1TxHash, l1Block, detail);
  }

  /**
   * This record committed on L1.
   *
   * @param txHash the transaction's hash
   * @param block its block
   * @return the copy, {@link BatchStatus#COMMITTED}
   */
  public BatchRecord committed(String txHash, long block) {
    return progressed(BatchStatus.COMMITTED, proof, txHash, block, detail);
  }

  /**
   * This record failed.
   *
   * @param why the failure
   * @return the copy, {@link BatchStatus#FAILED}
   */
  public BatchRecord failed(String why) {
    return progressed(BatchStatus.FAILED, proof, l1TxHash, l1Block, why);
  }

  /** This batch (same journal records, witness and commitment) at another point of its way. */
  private BatchRecord progressed(
      BatchStatus s, byte[] newProof, String txHash, long block, String why) {
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
        why);
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
      if (format != FORMAT) {
        throw new IOException("batch record format " + format + ", expected " + FORMAT);
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
          detail);
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
        + ")";
  }
}
