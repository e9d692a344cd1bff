package io.zkperp.node.jobs.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkperp.node.ProofJobs;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.prover.worker.JobId;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The jobs and results topics' record layouts: round trips and typed refusals. */
class KafkaRecordsTest {
  private static final MessageDomain DOMAIN =
      MessageDomain.of(31_337, L1Address.fromHex("0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0"));

  private static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void aJobRoundTripsWithAndWithoutADeployment() throws Exception {
    for (MessageDomain d : Arrays.asList(null, DOMAIN)) {
      JobRecord job = new JobRecord(7, "v3-tiny", d, bytes(5_000, 1));
      byte[] value = job.encode();
      assertThat(JobRecord.decode(value)).isEqualTo(job);
      assertThat(JobRecord.decode(value).domain()).isEqualTo(d);
      assertThat(JobRecord.parseKey(JobRecord.key(job.id()))).contains(job.id());
    }
  }

  @Test
  void theKeyIsTheJobIdOfTheBatchAndWitness() {
    JobRecord job = new JobRecord(12, "tiny", null, bytes(64, 2));
    assertThat(job.id()).isEqualTo(JobId.of(12, 12, bytes(64, 2)));
    assertThat(new String(JobRecord.key(job.id()), StandardCharsets.US_ASCII))
        .startsWith("b00000000000000000012-00000000000000000012-");
    assertThat(JobRecord.parseKey("not-a-job".getBytes(StandardCharsets.US_ASCII))).isEmpty();
    assertThat(JobRecord.parseKey(null)).isEmpty();
    // a range of batches is not a job of this queue
    assertThat(JobRecord.parseKey(JobRecord.key(JobId.of(1, 2, new byte[1])))).isEmpty();
  }

  @Test
  void malformedJobsAreRefusedWithTypedErrors() {
    byte[] good = new JobRecord(3, "tiny", DOMAIN, bytes(100, 3)).encode();
    assertThatThrownBy(() -> JobRecord.decode(Arrays.copyOf(good, good.length - 1)))
        .isInstanceOf(MalformedRecordException.class)
        .hasMessageContaining("truncated");
    assertThatThrownBy(() -> JobRecord.decode(Arrays.copyOf(good, good.length + 1)))
        .isInstanceOf(MalformedRecordException.class)
        .hasMessageContaining("trailing");
    byte[] magic = good.clone();
    magic[0] = 'X';
    assertThatThrownBy(() -> JobRecord.decode(magic))
        .isInstanceOf(MalformedRecordException.class)
        .hasMessageContaining("magic");
    byte[] version = good.clone();
    version[4] = 9;
    assertThatThrownBy(() -> JobRecord.decode(version))
        .isInstanceOf(MalformedRecordException.class)
        .hasMessageContaining("version 9");
    byte[] flag = good.clone();
    flag[4 + 1 + 8 + 1 + 4] = 7; // the deployment flag after "tiny"
    assertThatThrownBy(() -> JobRecord.decode(flag))
        .isInstanceOf(MalformedRecordException.class)
        .hasMessageContaining("deployment flag");
    assertThatThrownBy(() -> JobRecord.decode(null)).isInstanceOf(MalformedRecordException.class);
    assertThatThrownBy(() -> new JobRecord(-1, "tiny", null, new byte[1]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new JobRecord(1, "Tiny shape", null, new byte[1]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void resultsRoundTripAndRefuseMalformedValues() throws Exception {
    ResultRecord proved =
        new ResultRecord(
            5,
            "prover-ü",
            4_300_000_000L,
            new ProofJobs.Proved(bytes(256, 4), bytes(32, 5)),
            bytes(300, 6));
    ResultRecord failed =
        new ResultRecord(
            6, "p", 10, new ProofJobs.Failed("UNSATISFIABLE (1): rule", false), new byte[0]);
    ResultRecord retry =
        new ResultRecord(6, "p", 10, new ProofJobs.Failed("INTERNAL (-1): x", true), new byte[0]);
    for (ResultRecord r : new ResultRecord[] {proved, failed, retry}) {
      assertThat(ResultRecord.decode(r.encode())).isEqualTo(r);
    }
    ProofJobs.Proved back = (ProofJobs.Proved) ResultRecord.decode(proved.encode()).outcome();
    assertThat(back.publicInput()).isEqualTo(bytes(32, 5));
    assertThat(back.solidityProof()).isEqualTo(bytes(256, 4));
    assertThat(ResultRecord.decode(retry.encode()).outcome())
        .isEqualTo(new ProofJobs.Failed("INTERNAL (-1): x", true));
    byte[] v = proved.encode();
    assertThatThrownBy(() -> ResultRecord.decode(Arrays.copyOf(v, v.length - 1)))
        .isInstanceOf(MalformedRecordException.class);
    byte[] kind = failed.encode();
    kind[4 + 1 + 8 + 1 + 1 + 8] = 3; // the outcome kind after prover "p" and the duration
    assertThatThrownBy(() -> ResultRecord.decode(kind))
        .isInstanceOf(MalformedRecordException.class)
        .hasMessageContaining("outcome");
    assertThatThrownBy(() -> ResultRecord.decode(new JobRecord(1, "tiny", null, v).encode()))
        .isInstanceOf(MalformedRecordException.class)
        .hasMessageContaining("magic");
  }

  @Test
  void optionsRefuseBadAddressesAndTopics() {
    assertThat(KafkaQueueOptions.defaults("k1:9092,k2:9092").jobsTopic())
        .isEqualTo("zkperp-proof-jobs");
    assertThatThrownBy(() -> KafkaQueueOptions.defaults("localhost"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("host:port");
    assertThatThrownBy(() -> KafkaQueueOptions.defaults("h:1").withTopics("a b", "c"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("topic");
    assertThatThrownBy(() -> KafkaQueueOptions.defaults("h:1").withTopics("same", "same"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("differ");
    assertThat(ProofTopics.jobPartition(17, 16)).isEqualTo(1);
  }
}
