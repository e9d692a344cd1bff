package io.zkperp.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class BatchRecordTest {
  private static BatchRecord sealed() {
    byte[] hash = new byte[32];
    hash[31] = 7;
    return BatchRecord.sealed(3, 10, 19, 4, 1, hash, new byte[] {1, 2}, new byte[] {3, 4, 5});
  }

  private static void assertSameBatch(BatchRecord r) {
    BatchRecord s = sealed();
    assertThat(r.number()).isEqualTo(s.number());
    assertThat(r.firstSeq()).isEqualTo(s.firstSeq());
    assertThat(r.lastSeq()).isEqualTo(s.lastSeq());
    assertThat(r.txCount()).isEqualTo(s.txCount());
    assertThat(r.priorityCount()).isEqualTo(s.priorityCount());
    assertThat(r.priorityHashAfter()).isEqualTo(s.priorityHashAfter());
    assertThat(r.witness()).isEqualTo(s.witness());
    assertThat(r.commitment()).isEqualTo(s.commitment());
  }

  @Test
  void eachStepKeepsTheBatchAndSetsOnlyItsOwnFields() {
    BatchRecord proven = sealed().withStatus(BatchStatus.PROVING).proven(new byte[] {9});
    assertSameBatch(proven);
    assertThat(proven.status()).isEqualTo(BatchStatus.PROVEN);
    assertThat(proven.proof()).containsExactly(9);
    assertThat(proven.l1TxHash()).isEmpty();
    assertThat(proven.l1Block()).isEqualTo(-1);

    BatchRecord committed = proven.committed("0xabc", 42);
    assertSameBatch(committed);
    assertThat(committed.status()).isEqualTo(BatchStatus.COMMITTED);
    assertThat(committed.proof()).containsExactly(9);
    assertThat(committed.l1TxHash()).isEqualTo("0xabc");
    assertThat(committed.l1Block()).isEqualTo(42);
    assertThat(committed.detail()).isEmpty();

    BatchRecord last = committed.withStatus(BatchStatus.FINAL);
    assertThat(last).isEqualTo(committed.withStatus(BatchStatus.FINAL));
    assertThat(last.status()).isEqualTo(BatchStatus.FINAL);
    assertThat(last.l1TxHash()).isEqualTo("0xabc");

    BatchRecord failed = proven.failed("bad proof");
    assertSameBatch(failed);
    assertThat(failed.status()).isEqualTo(BatchStatus.FAILED);
    assertThat(failed.detail()).isEqualTo("bad proof");
    assertThat(failed.proof()).containsExactly(9);
  }

  @Test
  void theStoredFormReadsBackEveryField() throws IOException {
    BatchRecord r = sealed().proven(new byte[] {9, 8}).committed("0xdef", 77);
    assertThat(BatchRecord.decode(r.encode())).isEqualTo(r);
  }
}
