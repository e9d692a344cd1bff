package io.zkperp.prover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real gnark prover over JNI, tiny shape: keys (set up once per key directory), the solver on
 * the golden batches, a full Groth16 prove and verify, and tampered proofs.
 */
class BatchProverIT {

  static final List<String> progress = new CopyOnWriteArrayList<>();
  static BatchProver prover;

  @BeforeAll
  static void open() {
    long start = System.nanoTime();
    prover =
        GoldenBatches.openProver(
            "tiny",
            line -> {
              progress.add(line);
              System.out.println("[tiny keys] " + line);
            });
    System.out.printf("opened tiny prover in %d ms%n", (System.nanoTime() - start) / 1_000_000);
  }

  @AfterAll
  static void close() {
    if (prover != null) {
      prover.close();
    }
  }

  @Test
  void shapeAndSizesMatchTheGoldenWitnesses() {
    assertThat(prover.shape()).isEqualTo("tiny");
    assertThat(prover.batchSize()).isEqualTo(BatchProver.batchSize("tiny"));
    assertThat(prover.witnessSize()).isEqualTo(BatchProver.witnessSize("tiny"));
    for (GoldenBatches.Batch b : GoldenBatches.of("tiny")) {
      assertThat(b.witness()).as(b.name()).hasSize(prover.witnessSize());
      java.nio.file.Path bin =
          io.zkperp.protocol.vectors.TestVectors.directory()
              .resolve("witness")
              .resolve("tiny-" + b.name() + ".bin");
      if (java.nio.file.Files.exists(bin)) {
        assertThat(bin).as("the .bin file of " + b.name()).hasBinaryContent(b.witness());
      }
    }
    assertThat(progress).as("progress reached the listener").isNotEmpty();
  }

  @Test
  void theSolverAcceptsValidBatchesAndNamesTheBrokenRuleOfInvalidOnes() {
    for (GoldenBatches.Batch b : GoldenBatches.of("tiny")) {
      if (b.valid()) {
        prover.check(b.witness());
      } else {
        assertThatThrownBy(() -> prover.check(b.witness()))
            .as(b.name())
            .isInstanceOf(UnsatisfiableWitnessException.class)
            .hasMessageContaining(b.failingRule());
      }
    }
  }

  @Test
  void malformedWitnessesAreTypedErrorsFromTheNativeDecoder() {
    byte[] w = GoldenBatches.firstValid("tiny").witness();
    w[0] ^= 0x01; // bad magic, right length: only the native decoder can tell
    assertThatThrownBy(() -> prover.check(w))
        .isInstanceOfSatisfying(
            InvalidWitnessException.class, e -> assertThat(e.offset()).isZero());
    assertThatThrownBy(() -> prover.prove(w)).isInstanceOf(InvalidWitnessException.class);
  }

  @Test
  void provesVerifiesAndRejectsTamperedProofs() {
    GoldenBatches.Batch batch = GoldenBatches.firstValid("tiny");
    int progressBefore = progress.size();
    long start = System.nanoTime();
    BatchProof proof = prover.prove(batch.witness());
    assertThat(progress.size())
        .as("proving progress reached the listener")
        .isGreaterThan(progressBefore);
    System.out.printf("tiny proof in %d ms: %s%n", (System.nanoTime() - start) / 1_000_000, proof);
    assertThat(proof.publicInputHex()).isEqualTo(batch.publicInput());
    assertThat(proof.solidity()).isNotEmpty();
    assertThat(prover.verify(proof)).isTrue();
    // thread-safe: concurrent callers are serialized, every one gets the right answer
    List<Thread> threads = new java.util.ArrayList<>();
    List<Boolean> answers = new CopyOnWriteArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread th =
          new Thread(
              () -> {
                for (int i = 0; i < 5; i++) {
                  answers.add(prover.verify(proof));
                }
              });
      threads.add(th);
      th.start();
    }
    for (Thread th : threads) {
      try {
        th.join();
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
    assertThat(answers).hasSize(20).containsOnly(true);

    byte[] raw = proof.raw();
    int rejected = 0;
    for (int i = 0; i < raw.length; i++) {
      byte[] flipped = raw.clone();
      flipped[i] ^= (byte) (1 << (i % 8)); // one bit in every byte, each bit position in turn
      assertThat(prover.verify(flipped, proof.publicInput()))
          .as("bit flipped in byte %d", i)
          .isFalse();
      rejected++;
    }
    assertThat(rejected).isEqualTo(raw.length);

    byte[] otherInput = proof.publicInput();
    otherInput[31] ^= 1;
    assertThat(prover.verify(raw, otherInput)).isFalse();
    byte[] aboveModulus = new byte[32];
    java.util.Arrays.fill(aboveModulus, (byte) 0xff);
    assertThat(new BigInteger(1, aboveModulus)).isPositive();
    assertThat(prover.verify(raw, aboveModulus)).isFalse();
    assertThat(prover.verify(java.util.Arrays.copyOf(raw, raw.length - 1), proof.publicInput()))
        .isFalse();
  }

  @Test
  void exportsTheSolidityVerifier() {
    String source = prover.solidityVerifier();
    assertThat(source).contains("contract Verifier").contains("function verifyProof");
  }

  @Test
  void aSecondOpenLoadsTheCachedKeysAndClosedProversRefuseCalls() {
    List<String> lines = new CopyOnWriteArrayList<>();
    BatchProver second = BatchProver.open(GoldenBatches.keyDir(), "tiny", lines::add);
    assertThat(second.solidityVerifier()).isEqualTo(prover.solidityVerifier());
    second.close();
    second.close(); // idempotent
    assertThatThrownBy(second::solidityVerifier).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> second.check(GoldenBatches.firstValid("tiny").witness()))
        .isInstanceOf(IllegalStateException.class);
    assertThat(lines).isNotEmpty().noneMatch(l -> l.toLowerCase().contains("setup"));
  }
}
