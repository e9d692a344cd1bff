package io.zkperp.node.v3;

import io.zkperp.batcher.v3.witness.BatchHeaderV3;
import io.zkperp.node.BatchRecord;
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
import java.util.List;
import java.util.Objects;

/**
 * What {@link SettlementV3} keeps about one format v3 batch beside the node's {@link BatchRecord}:
 * the header (R₀, R_S, T, P₀, P_S, the priority count), the public input, where each live step came
 * from and where the settlement resumes after it. The witness the prover takes and the commitment
 * bytes (header ‖ records) {@code commitBatch} is built from are in the batch's {@link BatchRecord}
 * ({@link #batchRecordOf}), in the node's {@code BatchStore}, with its status, proof and L1
 * transaction, so the proving stage and the L1 submitter serve v3 batches unchanged. Immutable; any
 * thread.
 *
 * @param number the batch number
 * @param shapeName the circuit shape (e.g. {@code v3-tiny})
 * @param batchTime T
 * @param priorityBefore P₀
 * @param stateRootBefore R₀
 * @param stateRootAfter R_S
 * @param priorityAfter P_S
 * @param priorityCount the L1 priority operations the batch consumes
 * @param publicInput the circuit's public input
 * @param origins the live steps in execution order
 * @param resume where the settlement goes on after this batch
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
    Fr publicInput,
    List<SealedBatchV3.StepOrigin> origins,
    Resume resume) {
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
    if (number < 1) {
      throw new IllegalArgumentException("batch number ≥ 1");
    }
    origins = List.copyOf(origins);
  }

  /**
   * The settlement's record of a sealed batch.
   *
   * @param b the sealed batch
   * @param resume where the settlement resumes after it
   * @return the record
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
        b.witness().publicInput(),
        b.origins(),
        resume);
  }

  /**
   * The node's record of a freshly sealed v3 batch, as the proving stage and the L1 submitter take
   * it: the witness is the {@code ZKW3} witness, the commitment input the v3 commitment bytes
   * (header ‖ records; its SHA-256 with the top three bits cleared is the public input), the
   * journal range the first and last live step's command, the transaction count the live steps.
   *
   * @param b the sealed batch (at least one live step)
   * @return the record, {@link BatchStatus#SEALED}
   */
  public static BatchRecord batchRecordOf(SealedBatchV3 b) {
    if (b.liveSteps() == 0) {
      throw new IllegalArgumentException("batch " + b.batchNumber() + " has no live step");
    }
    return BatchRecord.sealed(
        b.batchNumber(),
        b.origins().get(0).seq(),
        b.origins().get(b.liveSteps() - 1).seq(),
        b.liveSteps(),
        b.witness().priorityCount(),
        b.priorityAfter().toBytes(),
        b.witness().witness(),
        b.witness().commitment());
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
      if (in.available() != 0) {
        throw new IOException("damaged v3 batch record: trailing bytes");
      }
      return new V3BatchRecord(number, shape, time, p0, r0, rs, ps, count, pub, origins, resume);
    } catch (IllegalArgumentException | java.io.EOFException e) {
      throw new IOException("damaged v3 batch record: " + e.getMessage(), e);
    }
  }

  private static Fr readFr(DataInputStream in) throws IOException {
    byte[] b = new byte[32];
    in.readFully(b);
    return Fr.fromBytes(b);
  }

  @Override
  public String toString() {
    return "V3BatchRecord[" + number + ", " + origins.size() + " steps, resume " + resume + "]";
  }
}
