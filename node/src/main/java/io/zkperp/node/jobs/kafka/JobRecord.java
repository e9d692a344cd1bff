package io.zkperp.node.jobs.kafka;

import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.prover.worker.JobId;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * One proof job as it travels on the jobs topic: keyed by {@link #id()}'s name ({@code
 * b<batch>-<batch>-<sha256 of the witness>}), valued by {@link #encode()}: {@code "ZKPJ"}, version
 * 1, the batch (u64), the shape (u8 length, ASCII), the deployment (u8 0 = none for a format v2
 * shape; 1 = chain id u64 and the rollup's 20 bytes), the witness (u32 length, bytes); big-endian.
 * The shape and deployment tell a prover which keys prove it. Immutable; any thread.
 *
 * @param batch the batch number (≥ 0)
 * @param shape the circuit shape, e.g. {@code tiny} or {@code v3-tiny}
 * @param domain the deployment of a format v3 shape, or null for a format v2 shape
 * @param witness the witness (copied)
 */
public record JobRecord(long batch, String shape, MessageDomain domain, byte[] witness) {
  private static final byte[] MAGIC = "ZKPJ".getBytes(StandardCharsets.US_ASCII);
  private static final int VERSION = 1;

  /** Checks the fields and copies the witness. */
  public JobRecord {
    Objects.requireNonNull(shape, "shape");
    witness = Objects.requireNonNull(witness, "witness").clone();
    if (batch < 0) {
      throw new IllegalArgumentException("batch must be ≥ 0, got " + batch);
    }
    if (shape.isEmpty() || shape.length() > 255 || !shape.matches("[a-z0-9-]+")) {
      throw new IllegalArgumentException("shape must be 1 to 255 of [a-z0-9-], got " + shape);
    }
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
   * The job's identity: its batch and the SHA-256 of its witness.
   *
   * @return the id
   */
  public JobId id() {
    return JobId.of(batch, batch, witness);
  }

  /**
   * The record key of a job: its id's name in ASCII.
   *
   * @param id the job
   * @return the key bytes
   */
  public static byte[] key(JobId id) {
    return id.name().getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Parses a record key.
   *
   * @param key the key bytes, may be null
   * @return the job, or empty if the key is not a job name
   */
  public static Optional<JobId> parseKey(byte[] key) {
    return key == null
        ? Optional.empty()
        : JobId.parse(new String(key, StandardCharsets.US_ASCII))
            .filter(id -> id.firstBatch() == id.lastBatch());
  }

  /**
   * The record value.
   *
   * @return the encoding described above
   */
  public byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(witness.length + 64);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.write(MAGIC);
      out.writeByte(VERSION);
      out.writeLong(batch);
      out.writeByte(shape.length());
      out.write(shape.getBytes(StandardCharsets.US_ASCII));
      if (domain == null) {
        out.writeByte(0);
      } else {
        out.writeByte(1);
        out.writeLong(domain.chainId());
        out.write(domain.rollupAddress().toBytes());
      }
      out.writeInt(witness.length);
      out.write(witness);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // not thrown by an in-memory stream
    }
    return bytes.toByteArray();
  }

  /**
   * Decodes a record value made by {@link #encode()}.
   *
   * @param value the value
   * @return the job
   * @throws MalformedRecordException if the value is not such a record
   */
  public static JobRecord decode(byte[] value) throws MalformedRecordException {
    if (value == null) {
      throw new MalformedRecordException("a job record has no value (a tombstone)");
    }
    RecordReader in = new RecordReader(value, "proof job");
    in.magic(MAGIC, VERSION);
    long batch = in.u64();
    String shape = new String(in.bytes(in.u8()), StandardCharsets.US_ASCII);
    MessageDomain domain =
        switch (in.u8()) {
          case 0 -> null;
          case 1 -> MessageDomain.of(in.u64(), L1Address.of(in.bytes(L1Address.BYTES)));
          default -> throw in.fail("proof job record: deployment flag must be 0 or 1");
        };
    byte[] witness = in.lengthPrefixed();
    in.end();
    try {
      return new JobRecord(batch, shape, domain, witness);
    } catch (IllegalArgumentException e) {
      throw new MalformedRecordException("proof job record: " + e.getMessage());
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JobRecord r
        && batch == r.batch
        && shape.equals(r.shape)
        && Objects.equals(domain, r.domain)
        && Arrays.equals(witness, r.witness);
  }

  @Override
  public int hashCode() {
    return Objects.hash(batch, shape, domain, Arrays.hashCode(witness));
  }

  @Override
  public String toString() {
    return "JobRecord[batch=" + batch + ", shape=" + shape + ", domain=" + domain + "]";
  }
}
