package io.zkperp.bench;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.hash.Poseidon2;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Poseidon2 {@code Compress} throughput in Java, in the three API forms. The comparison with
 * gnark-crypto's native {@code Compress} is made by {@link BenchmarkReport}, which runs gnark's Go
 * benchmark in the same session.
 *
 * <p>Each invocation feeds its output back as the next left input, so the JIT cannot hoist or elide
 * the work and consecutive calls form a dependency chain (latency, the way tree hashing uses
 * Compress).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class Poseidon2Benchmark {
  private byte[] leftBytes;
  private byte[] rightBytes;
  private Fr left;
  private Fr right;
  private final long[] state = new long[12];
  private final long[] scratch = new long[Poseidon2.SCRATCH_LONGS];

  /** Fixed, non-trivial inputs. */
  @Setup
  public void setup() {
    left = Poseidon2.hash(Fr.fromUnsignedLong(1));
    right = Poseidon2.hash(Fr.fromUnsignedLong(2));
    leftBytes = left.toBytes();
    rightBytes = right.toBytes();
    left.toMontgomery(state, 0);
    right.toMontgomery(state, 8);
  }

  /**
   * The byte API, the same contract as gnark-crypto's {@code Permutation.Compress}: canonical
   * parsing of both inputs, permutation, encoding of the output.
   *
   * @return the output, so the JIT keeps the work
   */
  @Benchmark
  public byte[] compressBytes() {
    leftBytes = Poseidon2.compress(leftBytes, rightBytes);
    return leftBytes;
  }

  /**
   * The {@link Fr} API.
   *
   * @return the output
   */
  @Benchmark
  public Fr compressElements() {
    left = Poseidon2.compress(left, right);
    return left;
  }

  /**
   * The allocation-free limb API the state tree uses.
   *
   * @return one limb of the output
   */
  @Benchmark
  public long compressLimbs() {
    Poseidon2.compressInPlace(state, 0, state, 8, scratch);
    return state[0];
  }
}
