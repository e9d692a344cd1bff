package io.zkperp.node.jobs.kafka;

import io.zkperp.node.ProofJobs;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One job's outcome as it travels on the results topic, keyed like its job ({@link JobRecord#key});
 * a record without a value (a tombstone) is the node's acknowledgement. Value: {@code "ZKPR"},
 * version 1, the batch (u64), the prover's id (u8 length, UTF-8), the proof's duration in
 * nanoseconds (u64), then 1 = proved: the raw gnark proof, the Solidity proof (each u32 length,
 * bytes) and the 32-byte public input; or 2 = failed: retryable (u8 0/1) and the reason (u32
 * length, UTF-8); big-endian. Immutable; any thread.
 *
 * @param batch the batch number
 * @param prover the prover that made it (its {@code --prover-id})
 * @param proofNanos how long proving took
 * @param outcome the outcome
 * @param rawProof the raw gnark encoding of a proof (what {@code BatchProver.verify} takes), empty
 *     for a failure (copied)
 */
public record ResultRecord(
    long batch, String prover, long proofNanos, ProofJobs.Outcome outcome, byte[] rawProof) {
  private static final byte[] MAGIC = "ZKPR".getBytes(StandardCharsets.US_ASCII);
  private static final int VERSION = 1;
  private static final int PROVED = 1;
  private static final int FAILED = 2;

  /** Checks the fields and copies the raw proof. */
  public ResultRecord {
    Objects.requireNonNull(prover, "prover");
    Objects.requireNonNull(outcome, "outcome");
    rawProof = Objects.requireNonNull(rawProof, "rawProof").clone();
    if (prover.getBytes(StandardCharsets.UTF_8).length > 255) {
      throw new IllegalArgumentException("prover id longer than 255 bytes");
    }
    if (batch < 0 || proofNanos < 0) {
      throw new IllegalArgumentException("batch and proofNanos must be ≥ 0");
    }
  }

  /**
   * The raw proof.
   *
   * @return a copy
   */
  @Override
  public byte[] rawProof() {
    return rawProof.clone();
  }

  /**
   * The record value.
   *
   * @return the encoding described above
   */
  public byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.write(MAGIC);
      out.writeByte(VERSION);
      out.writeLong(batch);
      byte[] id = prover.getBytes(StandardCharsets.UTF_8);
      out.writeByte(id.length);
      out.write(id);
      out.writeLong(proofNanos);
      switch (outcome) {
        case ProofJobs.Proved p -> {
          out.writeByte(PROVED);
          out.writeInt(rawProof.length);
          out.write(rawProof);
          byte[] sol = p.solidityProof();
          out.writeInt(sol.length);
          out.write(sol);
          out.write(p.publicInput());
        }
        case ProofJobs.Failed f -> {
          out.writeByte(FAILED);
          out.writeByte(f.retryable() ? 1 : 0);
          byte[] reason = f.reason().getBytes(StandardCharsets.UTF_8);
          out.writeInt(reason.length);
          out.write(reason);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // not thrown by an in-memory stream
    }
    return bytes.toByteArray();
  }

  /**
   * Decodes a record value made by {@link #encode()}.
   *
   * @param value the value (not a tombstone)
   * @return the result
   * @throws MalformedRecordException if the value is not such a record
   */
  public static ResultRecord decode(byte[] value) throws MalformedRecordException {
    if (value == null) {
      throw new MalformedRecordException("a result record has no value (a tombstone)");
    }
    RecordReader in = new RecordReader(value, "proof result");
    in.magic(MAGIC, VERSION);
    long batch = in.u64();
    String prover = in.shortString();
    long nanos = in.u64();
    ProofJobs.Outcome outcome;
    byte[] raw = new byte[0];
    switch (in.u8()) {
      case PROVED -> {
        raw = in.lengthPrefixed();
        byte[] sol = in.lengthPrefixed();
        outcome = new ProofJobs.Proved(sol, in.bytes(32));
      }
      case FAILED -> {
        int retryable = in.u8();
        if (retryable > 1) {
          throw in.fail("proof result record: retryable must be 0 or 1");
        }
        outcome =
            new ProofJobs.Failed(
                new String(in.lengthPrefixed(), StandardCharsets.UTF_8), retryable == 1);
      }
      default -> throw in.fail("proof result record: outcome must be 1 (proved) or 2 (failed)");
    }
    in.end();
    try {
      return new ResultRecord(batch, prover, nanos, outcome, raw);
    } catch (IllegalArgumentException e) {
      throw new MalformedRecordException("proof result record: " + e.getMessage());
    }
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ResultRecord r)
        || batch != r.batch
        || proofNanos != r.proofNanos
        || !prover.equals(r.prover)
        || !Arrays.equals(rawProof, r.rawProof)) {
      return false;
    }
    return switch (outcome) {
      case ProofJobs.Proved p ->
          r.outcome instanceof ProofJobs.Proved q
              && Arrays.equals(p.solidityProof(), q.solidityProof())
              && Arrays.equals(p.publicInput(), q.publicInput());
      case ProofJobs.Failed f -> f.equals(r.outcome);
    };
  }

  @Override
  public int hashCode() {
    return Objects.hash(batch, prover, proofNanos, Arrays.hashCode(rawProof));
  }

  @Override
  public String toString() {
    return "ResultRecord[batch="
        + batch
        + ", prover="
        + prover
        + ", "
        + (outcome instanceof ProofJobs.Failed f ? f.toString() : "proved")
        + "]";
  }
}
