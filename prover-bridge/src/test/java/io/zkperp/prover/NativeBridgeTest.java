package io.zkperp.prover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The JNI plumbing without keys: shapes, handles, panics, argument checks. */
class NativeBridgeTest {

  @BeforeAll
  static void load() {
    NativeLibrary.load();
  }

  @Test
  void shapesAreKnownWithoutKeys() {
    int batch = BatchProver.batchSize("tiny");
    int size = BatchProver.witnessSize("tiny");
    assertThat(batch).isPositive();
    assertThat(size).isGreaterThan(batch);
    assertThat(BatchProver.batchSize("devnet")).isGreaterThan(batch);
    assertThatThrownBy(() -> BatchProver.witnessSize("galactic"))
        .isInstanceOfSatisfying(
            NativeProverException.class,
            e -> assertThat(e.code()).isEqualTo(NativeErrorCode.INVALID_ARGUMENT));
  }

  @Test
  void formatV3ShapesAreKnownWithoutKeysAndTheirWitnessSizeIsTheGoldenOne() throws Exception {
    assertThat(BatchProver.batchFormat("v3-tiny")).isEqualTo(3);
    assertThat(BatchProver.batchFormat("v3-devnet")).isEqualTo(3);
    assertThat(BatchProver.batchFormat("devnet")).isEqualTo(2);
    assertThat(BatchProver.batchSize("v3-tiny")).isEqualTo(12); // 2 trades + 10 one-slot groups
    assertThat(BatchProver.batchSize("v3-devnet")).isGreaterThan(BatchProver.batchSize("v3-tiny"));
    com.fasterxml.jackson.databind.JsonNode v =
        io.zkperp.protocol.vectors.TestVectors.load("batch-v3-golden.json");
    assertThat(BatchProver.witnessSize("v3-tiny"))
        .isEqualTo(v.get("witnessSize").asInt())
        .isEqualTo(
            java.nio.file.Files.size(
                io.zkperp.protocol.vectors.TestVectors.directory()
                    .resolve(v.get("witness").asText())));
  }

  @Test
  void aFormatV3ShapeNeedsATwentyByteRollupAndAFormatV2ShapeNone() {
    byte[] dir = "/nonexistent-zkperp-keys".getBytes(StandardCharsets.UTF_8);
    byte[] v3 = "v3-tiny".getBytes(StandardCharsets.UTF_8);
    byte[] tiny = "tiny".getBytes(StandardCharsets.UTF_8);
    NativeProver.Call noDomain = new NativeProver.Call();
    int code = NativeProver.open(dir, v3, 31337, null, 0, noDomain.longs, noDomain.objects);
    assertThat(NativeErrorCode.of(code)).isEqualTo(NativeErrorCode.INVALID_ARGUMENT);
    assertThat(noDomain.message()).contains("chain id and rollup address");
    NativeProver.Call shortRollup = new NativeProver.Call();
    code =
        NativeProver.open(dir, v3, 31337, new byte[19], 0, shortRollup.longs, shortRollup.objects);
    assertThat(NativeErrorCode.of(code)).isEqualTo(NativeErrorCode.INVALID_ARGUMENT);
    assertThat(shortRollup.message()).contains("20 bytes");
    NativeProver.Call v2WithDomain = new NativeProver.Call();
    code =
        NativeProver.open(dir, tiny, 1, new byte[20], 0, v2WithDomain.longs, v2WithDomain.objects);
    assertThat(NativeErrorCode.of(code)).isEqualTo(NativeErrorCode.INVALID_ARGUMENT);
    assertThat(v2WithDomain.message()).contains("format v2");
  }

  @Test
  void goPanicsComeBackAsTypedErrorsAndTheJvmLivesOn() {
    for (int kind = 0; kind < 3; kind++) {
      NativeProver.Call call = new NativeProver.Call();
      int code = NativeProver.debugPanic(kind, call.longs, call.objects);
      assertThat(NativeErrorCode.of(code)).isEqualTo(NativeErrorCode.PANIC);
      assertThat(call.message()).startsWith("panic in native prover");
      assertThatThrownBy(() -> call.check(code))
          .isInstanceOfSatisfying(
              NativeProverException.class,
              e -> assertThat(e.code()).isEqualTo(NativeErrorCode.PANIC));
    }
    assertThat(BatchProver.batchSize("tiny")).isPositive(); // still serving
  }

  @Test
  void unknownHandlesAreTypedErrors() {
    NativeProver.Call call = new NativeProver.Call();
    int code = NativeProver.check(987_654_321L, new byte[8], call.longs, call.objects);
    assertThat(NativeErrorCode.of(code)).isEqualTo(NativeErrorCode.BAD_HANDLE);
    assertThat(call.message()).contains("987654321");
    assertThat(NativeErrorCode.of(NativeProver.close(987_654_321L)))
        .isEqualTo(NativeErrorCode.BAD_HANDLE);
    assertThat(
            NativeErrorCode.of(
                NativeProver.verify(0, new byte[1], new byte[32], new long[4], new Object[4])))
        .isEqualTo(NativeErrorCode.BAD_HANDLE);
  }

  @Test
  void nullAndShortArraysAreRefusedNatively() {
    NativeProver.Call call = new NativeProver.Call();
    int code = NativeProver.shapeInfo(null, call.longs, call.objects);
    assertThat(NativeErrorCode.of(code)).isEqualTo(NativeErrorCode.INVALID_ARGUMENT);
    assertThat(call.message()).contains("must not be null");
    byte[] tiny = "tiny".getBytes(StandardCharsets.UTF_8);
    assertThat(NativeErrorCode.of(NativeProver.shapeInfo(tiny, new long[1], new Object[1])))
        .isEqualTo(NativeErrorCode.INVALID_ARGUMENT);
    assertThat(NativeErrorCode.of(NativeProver.shapeInfo(tiny, null, null)))
        .isEqualTo(NativeErrorCode.INVALID_ARGUMENT);
  }

  @Test
  void progressBuffersStartEmptyAndUnknownOnesReadAsNull() {
    long id = NativeProver.progressOpen();
    assertThat(id).isNotZero();
    assertThat(NativeProver.progressDrain(id)).isNull();
    NativeProver.progressClose(id);
    assertThat(NativeProver.progressDrain(id)).isNull();
  }

  @Test
  void javaChecksWitnessSizesBeforeCallingNative() {
    int size = BatchProver.witnessSize("tiny");
    // an invalid handle: had Java called native code, the error would be BAD_HANDLE
    try (BatchProver p = new BatchProver(987_654_321L, "tiny", 1, size)) {
      assertThatThrownBy(() -> p.prove(new byte[size - 1]))
          .isInstanceOfSatisfying(
              InvalidWitnessException.class,
              e -> {
                assertThat(e.offset()).isEqualTo(size - 1);
                assertThat(e).hasMessageContaining("must be " + size + " bytes, got " + (size - 1));
              });
      assertThatThrownBy(() -> p.check(new byte[size + 1]))
          .isInstanceOf(InvalidWitnessException.class);
      assertThatThrownBy(() -> p.check(null)).isInstanceOf(NullPointerException.class);
      assertThatThrownBy(() -> p.verify(new byte[10], new byte[31]))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(p.verify(new byte[0], new byte[32])).isFalse();
      // the right size reaches native code, which does not know the handle
      assertThatThrownBy(() -> p.prove(new byte[size]))
          .isInstanceOfSatisfying(
              NativeProverException.class,
              e -> assertThat(e.code()).isEqualTo(NativeErrorCode.BAD_HANDLE));
      assertThatThrownBy(p::close)
          .isInstanceOfSatisfying(
              NativeProverException.class,
              e -> assertThat(e.code()).isEqualTo(NativeErrorCode.BAD_HANDLE));
      assertThatThrownBy(() -> p.prove(new byte[size]))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("closed");
    }
  }
}
