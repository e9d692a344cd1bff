package io.zkperp.prover.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkperp.prover.BatchProof;
import io.zkperp.prover.UnsatisfiableWitnessException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JobCodecTest {

  static byte[] witness(int n, long seed) {
    byte[] w = new byte[n];
    new Random(seed).nextBytes(w);
    return w;
  }

  static Path jobPath(ProofJob job) {
    return Path.of("jobs", job.id().name() + ".job");
  }

  @Test
  void jobIdsNameTheRangeAndInputHashAndSortByBatch() {
    JobId a = JobId.of(7, 9, new byte[] {1, 2, 3});
    assertThat(a.name()).matches("b00000000000000000007-00000000000000000009-[0-9a-f]{64}");
    assertThat(JobId.parse(a.name())).contains(a);
    assertThat(JobId.parse("b7-9-xyz")).isEmpty();
    assertThat(JobId.of(7, 9, new byte[] {1, 2, 3})).isEqualTo(a);
    assertThat(JobId.of(7, 9, new byte[] {1, 2, 4})).isNotEqualTo(a);
    assertThat(JobId.of(10, 10, new byte[0])).isGreaterThan(a);
    assertThat(JobId.of(10, 10, new byte[0]).name().compareTo(a.name())).isPositive();
    assertThatThrownBy(() -> JobId.of(5, 4, new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void jobFilesRoundTrip() throws Exception {
    ProofJob job = ProofJob.of(3, 4, "tiny", witness(1000, 1));
    byte[] bytes = JobCodec.encodeJob(job);
    assertThat(bytes).hasSize(61 + 4 + 1000);
    assertThat(JobCodec.decodeJob(jobPath(job), bytes)).isEqualTo(job);
  }

  @Test
  void everyTruncationIsRejected() {
    ProofJob job = ProofJob.of(3, 4, "tiny", witness(200, 2));
    byte[] bytes = JobCodec.encodeJob(job);
    for (int len = 0; len < bytes.length; len++) {
      byte[] cut = Arrays.copyOf(bytes, len);
      assertThatThrownBy(() -> JobCodec.decodeJob(jobPath(job), cut))
          .as("truncated to %d bytes", len)
          .isInstanceOf(CorruptJobException.class);
    }
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
    assertThatThrownBy(() -> JobCodec.decodeJob(jobPath(job), longer))
        .isInstanceOf(CorruptJobException.class)
        .hasMessageContaining("trailing bytes");
  }

  @Test
  void everyBitFlipIsRejected() {
    ProofJob job = ProofJob.of(3, 4, "tiny", witness(64, 3));
    byte[] bytes = JobCodec.encodeJob(job);
    for (int bit = 0; bit < bytes.length * 8; bit++) {
      byte[] flipped = bytes.clone();
      flipped[bit / 8] ^= (byte) (1 << (bit % 8));
      assertThatThrownBy(() -> JobCodec.decodeJob(jobPath(job), flipped))
          .as("bit %d flipped", bit)
          .isInstanceOf(CorruptJobException.class);
    }
  }

  @Test
  void aJobUnderAnotherNameIsRejected() {
    ProofJob job = ProofJob.of(3, 4, "tiny", witness(64, 4));
    ProofJob other = ProofJob.of(3, 4, "tiny", witness(64, 5));
    assertThatThrownBy(() -> JobCodec.decodeJob(jobPath(other), JobCodec.encodeJob(job)))
        .isInstanceOf(CorruptJobException.class)
        .hasMessageContaining("file name does not match");
  }

  @Test
  void resultsRoundTripAndCorruptionIsDetected() throws Exception {
    JobId id = JobId.of(1, 1, witness(10, 6));
    BatchProof proof = new BatchProof(witness(256, 7), witness(256, 8), witness(32, 9));
    Path file = Path.of(id.name() + ".result");
    JobResult proved = new JobResult.Proved(id, proof);
    byte[] bytes = JobCodec.encodeResult(proved);
    assertThat(JobCodec.decodeResult(file, bytes)).isEqualTo(proved);

    JobResult failed = new JobResult.Failed(id, JobResult.Kind.UNSATISFIABLE, 2, "bad signature");
    JobResult decoded = JobCodec.decodeResult(file, JobCodec.encodeResult(failed));
    assertThat(decoded).isEqualTo(failed);
    assertThatThrownBy(decoded::proofOrThrow)
        .isInstanceOfSatisfying(
            UnsatisfiableWitnessException.class, e -> assertThat(e.txIndex()).isEqualTo(2));

    for (int len = 0; len < bytes.length; len += 7) {
      byte[] cut = Arrays.copyOf(bytes, len);
      assertThatThrownBy(() -> JobCodec.decodeResult(file, cut))
          .isInstanceOf(CorruptJobException.class);
    }
    byte[] flipped = bytes.clone();
    flipped[100] ^= 1;
    assertThatThrownBy(() -> JobCodec.decodeResult(file, flipped))
        .isInstanceOf(CorruptJobException.class)
        .hasMessageContaining("checksum");
  }
}
