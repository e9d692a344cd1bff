package io.zkperp.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
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

  @Test
  void theCommitsGasIsKeptThroughFinalAndReadBack() throws IOException {
    BatchRecord proven = sealed().proven(new byte[] {9});
    assertThat(proven.l1GasUsed()).as("not committed").isEqualTo(-1);
    BatchRecord committed = proven.committed("0xabc", 42, 987_654);
    assertSameBatch(committed);
    assertThat(committed.l1GasUsed()).isEqualTo(987_654);
    BatchRecord fin = committed.withStatus(BatchStatus.FINAL);
    assertThat(fin.l1GasUsed()).isEqualTo(987_654);
    assertThat(BatchRecord.decode(fin.encode())).isEqualTo(fin);
    assertThat(BatchRecord.decode(fin.encode()).l1GasUsed()).isEqualTo(987_654);
    assertThat(fin.toString()).contains("gas 987654");
    // a commit found on L1 (not sent by this node): gas unknown
    assertThat(proven.committed("0xabc", 42).l1GasUsed()).isEqualTo(-1);
    assertThatThrownBy(() -> proven.committed("0xabc", 42, -2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("gas used");
  }

  @Test
  void aRecordStoredBeforeGasWasKeptReadsWithGasUnknown() throws IOException {
    BatchRecord r = sealed().proven(new byte[] {9, 8}).committed("0xdef", 77, 123);
    byte[] now = r.encode();
    assertThat(ByteBuffer.wrap(now).getInt()).isEqualTo(2);
    // format 1: the same fields without the trailing gas
    byte[] old = Arrays.copyOf(now, now.length - Long.BYTES);
    ByteBuffer.wrap(old).putInt(1);
    BatchRecord read = BatchRecord.decode(old);
    assertThat(read.l1GasUsed()).isEqualTo(-1);
    assertThat(read.l1TxHash()).isEqualTo("0xdef");
    assertThat(read.l1Block()).isEqualTo(77);
    assertThat(read).isEqualTo(sealed().proven(new byte[] {9, 8}).committed("0xdef", 77));
    // format 2 without its gas, and an unknown format, are damaged records
    byte[] cut = Arrays.copyOf(now, now.length - Long.BYTES);
    assertThatThrownBy(() -> BatchRecord.decode(cut)).isInstanceOf(IOException.class);
    byte[] future = now.clone();
    ByteBuffer.wrap(future).putInt(3);
    assertThatThrownBy(() -> BatchRecord.decode(future))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("format 3");
    byte[] negative = now.clone();
    ByteBuffer.wrap(negative).putLong(now.length - Long.BYTES, -5);
    assertThatThrownBy(() -> BatchRecord.decode(negative))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("gas used");
  }
}
