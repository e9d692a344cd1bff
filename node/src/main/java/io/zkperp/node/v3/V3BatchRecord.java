package io.zkperp.node.v3;

import io.zkperp.batcher.v3.witness.BatchHeaderV3;
import io.zkperp.node.BatchStatus;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.message.MessageDomain;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What the node keeps about one format v3 batch: the header L1 takes (R₀, R_S, T, P₀, P_S, the
 * priority count), the records {@code commitBatch} takes, the witness the prover takes, the public
 * input, where each live step came from, where the settlement resumes after it, and the batch's
 * state, proof and L1 transaction. Enough to build a prover job and an L1 commit after a restart.
 * Immutable (arrays copied); any thread.
 *
 * @param number the batch number
 * @param shapeName the circuit shape (e.g. {@code v3-tiny})
 * @param batchTime T
 * @param priorityBefore P₀
 * @param stateRootBefore R₀
 * @param stateRootAfter R_S
 * @param priorityAfter P_S
 * @param priorityCount the L1 priority operations the batch consumes
 * @param records every slot's record as L1 takes them (commitment bytes after the header)
 * @param witness the encoded {@code ZKW3} witness
 * @param publicInput the circuit's public input
 * @param origins the live steps in execution order
 * @param resume where the settlement goes on after this batch
 * @param status its state
 * @param proof the proof in the verifier's encoding (empty until proven)
 * @param l1TxHash the commit transaction ("" until committed)
 * @param l1Block the commit's block (-1 until committed)
 * @param detail a failure's message ("" unless failed)
 */
public record V3BatchRecord(
    long number,
    String shapeName,
    long batchTime,
    Fr priorityBefore,
    Fr stateRootBefore,
    Fr stateRootAfter,
    Fr priorityAfter,
    int priorityCount,
    byte[] records,
    byte[] witness,
    Fr publicInput,
    List<SealedBatchV3.StepOrigin> origins,
    Resume resume,
    BatchStatus status,
    byte[] proof,
    String l1TxHash,
    long l1Block,
    String detail) {
  private static final int FORMAT = 1;

  /**
   * Where the settlement resumes after a batch: the tree version holding exactly the commands
   * before {@code seq} (with every step of theirs in this batch or an earlier one), and how many
   * steps of command {@code seq} are already in batches (0 when the batch ends between commands; k
   * when the assembler cut the batch inside the command after its first k steps, which are then
   * executed again on the rolled-back tree and not batched twice).
   *
   * @param treeVersion the store's version to roll back to
   * @param seq the journal sequence of the first command not wholly batched
   * @param stepsBatched how many of its steps are in batches
   */
  public record Resume(long treeVersion, long seq, int stepsBatched) {
    /** Checks the ranges. */
    public Resume {
      if (treeVersion < 0 || seq < 1 || stepsBatched < 0) {
        throw new IllegalArgumentException("treeVersion ≥ 0, seq ≥ 1, stepsBatched ≥ 0");
      }
    }
  }

  /** Checks and copies. */
  public V3BatchRecord {
    Objects.requireNonNull(shapeName, "shapeName");
    Objects.requireNonNull(priorityBefore, "priorityBefore");
    Objects.requireNonNull(stateRootBefore, "stateRootBefore");
    Objects.requireNonNull(stateRootAfter, "stateRootAfter");
    Objects.requireNonNull(priorityAfter, "priorityAfter");
    Objects.requireNonNull(publicInput, "publicInput");
    Objects.requireNonNull(resume, "resume");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(l1TxHash, "l1TxHash");
    Objects.requireNonNull(detail, "detail");
    if (number < 1) {
      throw new IllegalArgumentException("batch number ≥ 1");
    }
    records = records.clone();
    witness = witness.clone();
    origins = List.copyOf(origins);
    proof = proof.clone();
  }

  /**
   * A freshly sealed batch.
   *
   * @param b the sealed batch
   * @param resume where the settlement resumes after it
   * @return the record, {@link BatchStatus#SEALED}
   */
  public static V3BatchRecord sealed(SealedBatchV3 b, Resume resume) {
    return new V3BatchRecord(
        b.batchNumber(),
        b.shapeName(),
        b.batchTime(),
        b.header().priorityBefore(),
        b.header().stateRootBefore(),
        b.newRoot(),
        b.priorityAfter(),
        b.witness().priorityCount(),
        b.records(),
        b.witness().witness(),
        b.witness().publicInput(),
        b.origins(),
        resume,
        BatchStatus.SEALED,
        new byte[0],
        "",
        -1,
        "");
  }

  /**
   * The header the batch was sealed with.
   *
   * @param domain the deployment
   * @return number, T, P₀, R₀ in the deployment
   */
  public BatchHeaderV3 header(MessageDomain domain) {
    return new BatchHeaderV3(domain, number, batchTime, priorityBefore, stateRootBefore);
  }

  /**
   * The first journal record with a step in the batch.
   *
   * @return its sequence (0 for a batch without live steps)
   */
  public long firstSeq() {
    return origins.isEmpty() ? 0 : origins.get(0).seq();
  }

  /**
   * The last journal record with a step in the batch.
   *
   * @return its sequence (0 for a batch without live steps)
   */
  public long lastSeq() {
    return origins.isEmpty() ? 0 : origins.get(origins.size() - 1).seq();
  }

  /**
   * The records.
   *
   * @return a copy
   */
  @Override
  public byte[] records() {
    return records.clone();
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
   * The proof.
   *
   * @return a copy
   */
  @Override
  public byte[] proof() {
    return proof.clone();
  }

  /**
   * The same batch in another state.
   *
   * @param s the state
   * @return the record
   */
  public V3BatchRecord withStatus(BatchStatus s) {
    return new V3BatchRecord(
        number,
        shapeName,
        batchTime,
        priorityBefore,
        stateRootBefore,
        stateRootAfter,
        priorityAfter,
        priorityCount,
        records,
        witness,
        publicInput,
        origins,
        resume,
        s,
        proof,
        l1TxHash,
        l1Block,
        detail);
  }

  /**
   * The batch proven.
   *
   * @param solidityProof the proof in the verifier's encoding
   * @return the record, {@link BatchStatus#PROVEN}
   */
  public V3BatchRecord proven(byte[] solidityProof) {
    return new V3BatchRecord(
        number,
        shapeName,
        batchTime,
        priorityBefore,
        stateRootBefore,
        stateRootAfter,
        priorityAfter,
        priorityCount,
        records,
        witness,
        publicInput,
        origins,
        resume,
        BatchStatus.PROVEN,
        solidityProof,
        l1TxHash,
        l1Block,
        detail);
  }

  /**
   * The batch committed on L1.
   *
   * @param txHash the transaction
   * @param block its block
   * @return the record, {@link BatchStatus#COMMITTED}
   */
  public V3BatchRecord committed(String txHash, long block) {
    return new V3BatchRecord(
        number,
        shapeName,
        batchTime,
        priorityBefore,
        stateRootBefore,
        stateRootAfter,
        priorityAfter,
        priorityCount,
        records,
        witness,
        publicInput,
        origins,
        resume,
        BatchStatus.COMMITTED,
        proof,
        txHash,
        block,
        detail);
  }

  /**
   * The stored form.
   *
   * @return the bytes
   */
  public byte[] encode() {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeInt(FORMAT);
      out.writeLong(number);
      out.writeUTF(shapeName);
      out.writeLong(batchTime);
      for (Fr f : List.of(priorityBefore, stateRootBefore, stateRootAfter, priorityAfter)) {
        out.write(f.toBytes());
      }
      out.writeInt(priorityCount);
      writeBytes(out, records);
      writeBytes(out, witness);
      out.write(publicInput.toBytes());
      out.writeInt(origins.size());
      for (SealedBatchV3.StepOrigin o : origins) {
        out.writeLong(o.seq());
        out.writeInt(o.step());
        out.writeUTF(o.kind());
      }
      out.writeLong(resume.treeVersion());
      out.writeLong(resume.seq());
      out.writeInt(resume.stepsBatched());
      out.writeUTF(status.name());
      writeBytes(out, proof);
      out.writeUTF(l1TxHash);
      out.writeLong(l1Block);
      out.writeUTF(detail);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads a record written by {@link #encode}.
   *
   * @param bytes the stored form
   * @return the record
   * @throws IOException the bytes are not a record of this format
   */
  public static V3BatchRecord decode(byte[] bytes) throws IOException {
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
      int format = in.readInt();
      if (format != FORMAT) {
        throw new IOException("unknown v3 batch record format " + format);
      }
      long number = in.readLong();
      String shape = in.readUTF();
      long time = in.readLong();
      Fr p0 = readFr(in);
      Fr r0 = readFr(in);
      Fr rs = readFr(in);
      Fr ps = readFr(in);
      int count = in.readInt();
      byte[] records = readBytes(in);
      byte[] witness = readBytes(in);
      Fr pub = readFr(in);
      int n = in.readInt();
      if (n < 0 || n > 1 << 20) {
        throw new IOException("damaged v3 batch record: " + n + " origins");
      }
      List<SealedBatchV3.StepOrigin> origins = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        origins.add(new SealedBatchV3.StepOrigin(in.readLong(), in.readInt(), in.readUTF()));
      }
      Resume resume = new Resume(in.readLong(), in.readLong(), in.readInt());
      BatchStatus status = BatchStatus.valueOf(in.readUTF());
      byte[] proof = readBytes(in);
      String tx = in.readUTF();
      long block = in.readLong();
      String detail = in.readUTF();
      if (in.available() != 0) {
        throw new IOException("damaged v3 batch record: trailing bytes");
      }
      return new V3BatchRecord(
          number, shape, time, p0, r0, rs, ps, count, records, witness, pub, origins, resume,
          status, proof, tx, block, detail);
    } catch (IllegalArgumentException | java.io.EOFException e) {
      throw new IOException("damaged v3 batch record: " + e.getMessage(), e);
    }
  }

  private static Fr readFr(DataInputStream in) throws IOException {
    byte[] b = new byte[32];
    in.readFully(b);
    return Fr.fromBytes(b);
  }

  private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
    out.writeInt(b.length);
    out.write(b);
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > 1 << 28) {
      throw new IOException("damaged v3 batch record: a field of " + n + " bytes");
    }
    byte[] b = new byte[n];
    in.readFully(b);
    return b;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof V3BatchRecord r && Arrays.equals(r.encode(), encode());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encode());
  }

  @Override
  public String toString() {
    return "V3BatchRecord[" + number + " " + status + ", " + origins.size() + " steps]";
  }
}
