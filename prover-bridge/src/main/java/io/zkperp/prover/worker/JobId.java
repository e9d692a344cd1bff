package io.zkperp.prover.worker;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Identity of a proving job: the batch range it proves and the SHA-256 of its witness. Two
 * submissions of the same batch with the same witness get the same id, which makes submission
 * idempotent. Immutable and thread-safe.
 *
 * @param firstBatch number of the first batch proven (inclusive), not negative
 * @param lastBatch number of the last batch proven (inclusive), not below {@code firstBatch}
 * @param inputSha256 64 lowercase hex digits: SHA-256 of the witness bytes
 */
public record JobId(long firstBatch, long lastBatch, String inputSha256)
    implements Comparable<JobId> {

  private static final Pattern NAME = Pattern.compile("b(\\d{20})-(\\d{20})-([0-9a-f]{64})");

  /**
   * Validates the components.
   *
   * @throws IllegalArgumentException on a negative or inverted range or a malformed hash
   */
  public JobId {
    Objects.requireNonNull(inputSha256, "inputSha256");
    if (firstBatch < 0 || lastBatch < firstBatch) {
      throw new IllegalArgumentException("invalid batch range " + firstBatch + ".." + lastBatch);
    }
    if (!inputSha256.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("input hash must be 64 lowercase hex digits");
    }
  }

  /**
   * The id of a job proving batches {@code firstBatch..lastBatch} with the given witness.
   *
   * @param firstBatch first batch number
   * @param lastBatch last batch number
   * @param witness the witness bytes
   * @return the id
   */
  public static JobId of(long firstBatch, long lastBatch, byte[] witness) {
    return new JobId(firstBatch, lastBatch, HexFormat.of().formatHex(sha256(witness)));
  }

  /**
   * The file-name stem of this job: {@code b<first>-<last>-<sha256>} with 20-digit zero-padded
   * batch numbers, so that names sort by batch.
   *
   * @return the name
   */
  public String name() {
    return String.format("b%020d-%020d-%s", firstBatch, lastBatch, inputSha256);
  }

  /**
   * Parses a name made by {@link #name()}.
   *
   * @param name the name
   * @return the id, or empty if the name is not a job name
   */
  public static Optional<JobId> parse(String name) {
    Matcher m = NAME.matcher(name);
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new JobId(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), m.group(3)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  @Override
  public int compareTo(JobId o) {
    int c = Long.compare(firstBatch, o.firstBatch);
    if (c == 0) {
      c = Long.compare(lastBatch, o.lastBatch);
    }
    return c != 0 ? c : inputSha256.compareTo(o.inputSha256);
  }

  @Override
  public String toString() {
    return name();
  }

  static byte[] sha256(byte[] data, int length) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(data, 0, length);
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  static byte[] sha256(byte[]... parts) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (byte[] p : parts) {
        md.update(p);
      }
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
