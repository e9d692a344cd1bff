package io.zkperp.prover.worker;

import io.zkperp.prover.BatchProof;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The binary formats of job and result files (format version 1, all integers big-endian). Every
 * file ends with the SHA-256 of all bytes before it, and its exact length follows from its header,
 * so a truncated, extended or bit-flipped file is detected.
 *
 * <pre>
 * job file   (jobs/&lt;id&gt;.job)
 *   0   4  magic "ZKJB"
 *   4   2  version = 1
 *   6   2  reserved = 0
 *   8   8  first batch
 *   16  8  last batch
 *   24  1  n = length of the shape name (1..32)
 *   25  n  shape name, ASCII
 *   .   4  L = witness length (0..MAX_WITNESS_BYTES)
 *   .   L  witness
 *   .   32 SHA-256 of bytes [0, here)
 *
 * result file (results/&lt;id&gt;.result)
 *   0   4  magic "ZKRS"
 *   4   2  version = 1
 *   6   2  status: 0 = proved, else {@link JobResult.Kind#status()}
 *   8   8  first batch
 *   16  8  last batch
 *   24  32 SHA-256 of the witness (the id's hash)
 *   56     proved: u32 raw length, raw proof, u32 Solidity length, Solidity proof, 32 public input
 *          failed: i64 detail, u32 message length, message UTF-8
 *   .   32 SHA-256 of bytes [0, here)
 * </pre>
 *
 * <p>Stateless; thread-safe.
 */
public final class JobCodec {

  /** Largest witness a job file may hold. */
  public static final int MAX_WITNESS_BYTES = 256 << 20;

  static final int VERSION = 1;
  private static final byte[] JOB_MAGIC = {'Z', 'K', 'J', 'B'};
  private static final byte[] RESULT_MAGIC = {'Z', 'K', 'R', 'S'};
  private static final int CHECKSUM_BYTES = 32;
  private static final int MAX_BLOB_BYTES = 16 << 20;

  private JobCodec() {}

  /**
   * Encodes a job file.
   *
   * @param job the job
   * @return the file's bytes
   */
  public static byte[] encodeJob(ProofJob job) {
    if (job.witness().length > MAX_WITNESS_BYTES) {
      throw new IllegalArgumentException("witness larger than " + MAX_WITNESS_BYTES + " bytes");
    }
    byte[] shape = job.shape().getBytes(StandardCharsets.US_ASCII);
    return withChecksum(
        out -> {
          out.write(JOB_MAGIC);
          out.writeShort(VERSION);
          out.writeShort(0);
          out.writeLong(job.id().firstBatch());
          out.writeLong(job.id().lastBatch());
          out.writeByte(shape.length);
          out.write(shape);
          out.writeInt(job.witness().length);
          out.write(job.witness());
        });
  }

  /**
   * Decodes and validates a job file.
   *
   * @param file where the bytes came from; its name must be {@code <id>.job}
   * @param bytes the file's content
   * @return the job
   * @throws CorruptJobException if the content is truncated, corrupt, of another version, or does
   *     not match the file name
   */
  public static ProofJob decodeJob(Path file, byte[] bytes) throws CorruptJobException {
    ByteBuffer b = checked(file, bytes, JOB_MAGIC, 25 + CHECKSUM_BYTES);
    try {
      b.getShort(); // reserved
      long first = b.getLong();
      long last = b.getLong();
      int n = Byte.toUnsignedInt(b.get());
      if (n < 1 || n > 32) {
        throw new CorruptJobException(file, "shape name length " + n + " outside 1..32");
      }
      byte[] shape = new byte[n];
      b.get(shape);
      int len = b.getInt();
      if (len < 0 || len > MAX_WITNESS_BYTES) {
        throw new CorruptJobException(file, "witness length " + len + " out of range");
      }
      int expected = 25 + n + 4 + len + CHECKSUM_BYTES;
      if (bytes.length != expected) {
        throw new CorruptJobException(
            file,
            (bytes.length < expected ? "truncated" : "trailing bytes")
                + ": header says "
                + expected
                + " bytes, file has "
                + bytes.length);
      }
      verifyChecksum(file, bytes);
      byte[] witness = new byte[len];
      b.get(witness);
      ProofJob job;
      try {
        job = ProofJob.of(first, last, new String(shape, StandardCharsets.US_ASCII), witness);
      } catch (IllegalArgumentException e) {
        throw new CorruptJobException(file, e.getMessage());
      }
      checkName(file, job.id(), ".job");
      return job;
    } catch (BufferUnderflowException e) {
      throw new CorruptJobException(file, "truncated: " + bytes.length + " bytes");
    }
  }

  /**
   * Encodes a result file.
   *
   * @param result the result
   * @return the file's bytes
   */
  public static byte[] encodeResult(JobResult result) {
    JobId id = result.id();
    return withChecksum(
        out -> {
          out.write(RESULT_MAGIC);
          out.writeShort(VERSION);
          out.writeShort(
              switch (result) {
                case JobResult.Proved p -> 0;
                case JobResult.Failed f -> f.kind().status();
              });
          out.writeLong(id.firstBatch());
          out.writeLong(id.lastBatch());
          out.write(HexFormat.of().parseHex(id.inputSha256()));
          switch (result) {
            case JobResult.Proved p -> {
              writeBlob(out, p.proof().raw());
              writeBlob(out, p.proof().solidity());
              out.write(p.proof().publicInput());
            }
            case JobResult.Failed f -> {
              out.writeLong(f.detail());
              writeBlob(out, f.message().getBytes(StandardCharsets.UTF_8));
            }
          }
        });
  }

  /**
   * Decodes and validates a result file.
   *
   * @param file where the bytes came from; its name must be {@code <id>.result}
   * @param bytes the file's content
   * @return the result
   * @throws CorruptJobException if the content is truncated, corrupt, or does not match the name
   */
  public static JobResult decodeResult(Path file, byte[] bytes) throws CorruptJobException {
    ByteBuffer b = checked(file, bytes, RESULT_MAGIC, 56 + CHECKSUM_BYTES);
    verifyChecksum(file, bytes);
    try {
      int status = Short.toUnsignedInt(b.getShort());
      long first = b.getLong();
      long last = b.getLong();
      byte[] hash = new byte[32];
      b.get(hash);
      JobId id;
      try {
        id = new JobId(first, last, HexFormat.of().formatHex(hash));
      } catch (IllegalArgumentException e) {
        throw new CorruptJobException(file, e.getMessage());
      }
      JobResult result;
      if (status == 0) {
        byte[] raw = readBlob(file, b);
        byte[] solidity = readBlob(file, b);
        byte[] publicInput = new byte[BatchProof.PUBLIC_INPUT_BYTES];
        b.get(publicInput);
        result = new JobResult.Proved(id, new BatchProof(raw, solidity, publicInput));
      } else {
        JobResult.Kind kind;
        try {
          kind = JobResult.Kind.of(status);
        } catch (IllegalArgumentException e) {
          throw new CorruptJobException(file, e.getMessage());
        }
        long detail = b.getLong();
        String message = new String(readBlob(file, b), StandardCharsets.UTF_8);
        result = new JobResult.Failed(id, kind, detail, message);
      }
      if (b.remaining() != CHECKSUM_BYTES) {
        throw new CorruptJobException(file, "length does not match content");
      }
      checkName(file, id, ".result");
      return result;
    } catch (BufferUnderflowException e) {
      throw new CorruptJobException(file, "truncated: " + bytes.length + " bytes");
    }
  }

  private interface Writer {
    void write(DataOutputStream out) throws IOException;
  }

  private static byte[] withChecksum(Writer w) {
    try {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(buf);
      w.write(out);
      out.flush();
      out.write(JobId.sha256(buf.toByteArray()));
      out.flush();
      return buf.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
  }

  private static ByteBuffer checked(Path file, byte[] bytes, byte[] magic, int minLength)
      throws CorruptJobException {
    if (bytes.length < minLength) {
      throw new CorruptJobException(
          file, "truncated: " + bytes.length + " bytes, less than the minimum " + minLength);
    }
    if (!Arrays.equals(bytes, 0, 4, magic, 0, 4)) {
      throw new CorruptJobException(file, "bad magic (not a zkperp job/result file)");
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    b.position(4);
    int version = Short.toUnsignedInt(b.getShort());
    if (version != VERSION) {
      throw new CorruptJobException(file, "format version " + version + ", expected " + VERSION);
    }
    return b;
  }

  private static void verifyChecksum(Path file, byte[] bytes) throws CorruptJobException {
    int end = bytes.length - CHECKSUM_BYTES;
    byte[] actual = JobId.sha256(bytes, end);
    if (!Arrays.equals(actual, 0, CHECKSUM_BYTES, bytes, end, bytes.length)) {
      throw new CorruptJobException(file, "checksum mismatch (corrupt or truncated file)");
    }
  }

  private static void checkName(Path file, JobId id, String suffix) throws CorruptJobException {
    if (file == null || file.getFileName() == null) {
      return;
    }
    String name = file.getFileName().toString();
    if (!name.equals(id.name() + suffix)) {
      throw new CorruptJobException(
          file, "content is job " + id.name() + ", file name does not match");
    }
  }

  private static void writeBlob(DataOutputStream out, byte[] blob) throws IOException {
    out.writeInt(blob.length);
    out.write(blob);
  }

  private static byte[] readBlob(Path file, ByteBuffer b) throws CorruptJobException {
    int len = b.getInt();
    if (len < 0 || len > MAX_BLOB_BYTES || len > b.remaining()) {
      throw new CorruptJobException(file, "field length " + len + " out of range");
    }
    byte[] blob = new byte[len];
    b.get(blob);
    return blob;
  }
}
