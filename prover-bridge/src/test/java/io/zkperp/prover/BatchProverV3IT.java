package io.zkperp.prover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.protocol.vectors.TestVectors;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real gnark prover over JNI, format v3 shape {@code v3-tiny} for the fixture deployment: the
 * golden batch of {@code test-vectors/batch-v3-golden.json} (sealed by Go's {@code
 * batchv3.GoldenBatch}: a deposit, an oracle tick, two trades, a funding tick and a withdrawal)
 * solves, proves with the vector's public input and verifies; a tampered witness is refused with
 * the typed exceptions. Keys are set up once per key directory (minutes on 2 cores).
 */
class BatchProverV3IT {

  static final List<String> progress = new CopyOnWriteArrayList<>();
  static JsonNode vector;
  static MessageDomain domain;
  static byte[] witness;
  static BatchProver prover;

  @BeforeAll
  static void open() throws IOException {
    vector = TestVectors.load("batch-v3-golden.json");
    domain =
        MessageDomain.of(
            vector.get("chainId").asLong(), L1Address.fromHex(vector.get("rollup").asText()));
    witness = Files.readAllBytes(TestVectors.directory().resolve(vector.get("witness").asText()));
    long start = System.nanoTime();
    prover =
        GoldenBatches.openProver(
            vector.get("shape").asText(),
            domain,
            line -> {
              progress.add(line);
              System.out.println("[v3-tiny keys] " + line);
            });
    System.out.printf("opened v3-tiny prover in %d ms%n", (System.nanoTime() - start) / 1_000_000);
  }

  @AfterAll
  static void close() {
    if (prover != null) {
      prover.close();
    }
  }

  @Test
  void theShapeIsFormatV3AndTheGoldenWitnessHasItsSize() {
    assertThat(BatchProver.batchFormat("v3-tiny")).isEqualTo(3);
    assertThat(BatchProver.batchFormat("tiny")).isEqualTo(2);
    assertThat(prover.shape()).isEqualTo("v3-tiny");
    assertThat(prover.batchSize()).isEqualTo(vector.get("steps").asInt());
    assertThat(prover.witnessSize())
        .isEqualTo(BatchProver.witnessSize("v3-tiny"))
        .isEqualTo(vector.get("witnessSize").asInt())
        .isEqualTo(witness.length);
  }

  @Test
  void checksProvesAndVerifiesTheGoldenBatch() {
    prover.check(witness);
    BatchProof proof = prover.prove(witness);
    assertThat("0x" + proof.publicInputHex()).isEqualTo(vector.get("publicInput").asText());
    assertThat(proof.solidity()).isNotEmpty();
    assertThat(prover.verify(proof)).isTrue();
    byte[] otherInput = proof.publicInput();
    otherInput[31] ^= 1;
    assertThat(prover.verify(proof.raw(), otherInput)).isFalse();
    byte[] raw = proof.raw();
    raw[raw.length / 2] ^= 0x10;
    assertThat(prover.verify(raw, proof.publicInput())).isFalse();
  }

  @Test
  void aChangedRecordByteIsUnsatisfiable() {
    byte[] w = witness.clone();
    w[vector.get("tradeRecordByte").asInt()] ^= 0x01; // decodes, but the trade wrote other data
    assertThatThrownBy(() -> prover.check(w))
        .isInstanceOfSatisfying(
            UnsatisfiableWitnessException.class, e -> assertThat(e.txIndex()).isEqualTo(-1));
    assertThatThrownBy(() -> prover.prove(w)).isInstanceOf(UnsatisfiableWitnessException.class);
  }

  @Test
  void malformedWitnessesAreFormatErrorsWithTheirOffset() {
    byte[] magic = witness.clone();
    magic[0] ^= 0x01;
    assertThatThrownBy(() -> prover.check(magic))
        .isInstanceOfSatisfying(
            InvalidWitnessException.class, e -> assertThat(e.offset()).isZero());
    byte[] version = witness.clone();
    version[5] ^= 0x01; // the version (2 bytes after the 4-byte magic)
    assertThatThrownBy(() -> prover.check(version))
        .isInstanceOfSatisfying(
            InvalidWitnessException.class, e -> assertThat(e.offset()).isEqualTo(4));
    byte[] tooShort = java.util.Arrays.copyOf(witness, witness.length - 1);
    assertThatThrownBy(() -> prover.check(tooShort)).isInstanceOf(InvalidWitnessException.class);
  }

  @Test
  void theDomainDecidesTheKeysAndAFormatV2OpenIsRefused() {
    assertThatThrownBy(() -> BatchProver.open(GoldenBatches.keyDir(), "v3-tiny", line -> {}))
        .isInstanceOf(NativeProverException.class)
        .hasMessageContaining("chain id");
    assertThatThrownBy(() -> BatchProver.open(GoldenBatches.keyDir(), "tiny", domain, line -> {}))
        .isInstanceOf(NativeProverException.class)
        .hasMessageContaining("format v2");
    List<String> lines = new CopyOnWriteArrayList<>();
    try (BatchProver again =
        BatchProver.open(GoldenBatches.keyDir(), "v3-tiny", domain, lines::add)) {
      assertThat(again.solidityVerifier())
          .isEqualTo(prover.solidityVerifier())
          .contains("function verifyProof");
    }
    assertThat(lines).isNotEmpty().noneMatch(l -> l.toLowerCase().contains("setup"));
  }
}
