package io.zkperp.node.v3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkperp.l1.contracts.ZkPerpRollupV3;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commit of a stored format v3 batch: {@link V3BatchCommit#header(byte[])} and {@link
 * V3BatchCommit#records(byte[])} decode the v3 commitment bytes a batch store keeps into exactly
 * the header and records {@link V3BatchCommit#header(SealedBatchV3)} takes from the sealed batch
 * (the order scenario's two batches on a real engine and RocksDB tree); bytes shorter than the
 * header are refused.
 */
class V3BatchCommitTest {

  @Test
  void theCommitmentBytesDecodeToTheSealedBatchsHeaderAndRecords(@TempDir Path dir)
      throws Exception {
    try (FixtureChain chain = new FixtureChain(dir, 1_000)) {
      OrderScenario.run(chain, BatchAssemblerTest.MAKER_OWNER, BatchAssemblerTest.TAKER_OWNER);
      assertThat(chain.sealed).hasSize(2);
      for (SealedBatchV3 b : chain.sealed) {
        byte[] commitment = b.witness().commitment();
        ZkPerpRollupV3.BatchHeader fromBytes = V3BatchCommit.header(commitment);
        ZkPerpRollupV3.BatchHeader fromBatch = V3BatchCommit.header(b);
        assertThat(fromBytes.batchNumber).isEqualTo(BigInteger.valueOf(b.batchNumber()));
        assertThat(fromBytes.oldStateRoot).isEqualTo(fromBatch.oldStateRoot);
        assertThat(fromBytes.newStateRoot)
            .isEqualTo(fromBatch.newStateRoot)
            .isEqualTo(b.newRoot().toBigInteger());
        assertThat(fromBytes.batchTime).isEqualTo(fromBatch.batchTime);
        assertThat(fromBytes.priorityHashBefore).isEqualTo(fromBatch.priorityHashBefore);
        assertThat(fromBytes.priorityHashAfter).isEqualTo(fromBatch.priorityHashAfter);
        assertThat(fromBytes.priorityCount)
            .isEqualTo(fromBatch.priorityCount)
            .isEqualTo(BigInteger.ONE);
        assertThat(Arrays.equals(V3BatchCommit.records(commitment), b.records())).isTrue();
      }
      assertThat(V3BatchCommit.header(chain.sealed.get(1).witness().commitment()).oldStateRoot)
          .as("batch 2 starts where batch 1 ends")
          .isEqualTo(chain.sealed.get(0).newRoot().toBigInteger());
    }
  }

  @Test
  void bytesShorterThanTheHeaderAreRefused() {
    assertThatThrownBy(() -> V3BatchCommit.header(new byte[147]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("148-byte header");
  }
}
