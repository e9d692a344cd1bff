package io.zkperp.prover;

import io.zkperp.protocol.message.MessageDomain;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Groth16 prover and verifier of one circuit shape, backed by the native gnark library over JNI.
 *
 * <p>{@link #open} loads the proving and verifying keys of the shape from the key directory, or
 * runs the Groth16 setup once and caches the keys there (with a manifest; mismatching keys are
 * refused with {@link ProvingKeyMismatchException}). Opening the tiny shape takes seconds once its
 * keys exist; setting up takes longer and reports progress.
 *
 * <p>Two batch formats: the format v2 collateral circuit (shapes {@code "tiny"}, {@code "devnet"})
 * and the format v3 batch circuit over state layout v2 (shapes {@code "v3-tiny"}, {@code
 * "v3-devnet"}). A format v3 circuit has its deployment's domain (chain id, rollup address) as
 * constants, so its keys belong to a shape and a domain: open it with {@link #open(Path, String,
 * MessageDomain, ProgressListener)}; its witnesses are format v3 ("ZKW3", {@code
 * docs/batch-format.md}).
 *
 * <p>Every method checks array sizes in Java before calling native code, so a wrong-length witness
 * is refused with {@link InvalidWitnessException} without touching the native side.
 *
 * <p>Thread-safe: any thread may call any method. Calls are serialized on one lock (a proof uses
 * every core anyway), so a {@link #verify} waits while a {@link #prove} runs; {@link #close} waits
 * for the running call and makes every later call fail with {@link IllegalStateException}. The
 * prover holds native memory (the proving key) until closed.
 */
public final class BatchProver implements AutoCloseable {

  /** Environment variable naming the default key directory. */
  public static final String KEYS_ENV = "ZKPERP_KEYS";

  private static final Cleaner CLEANER = Cleaner.create();

  private final ReentrantLock lock = new ReentrantLock();
  private final String shape;
  private final int batchSize;
  private final int witnessSize;
  private final ProgressListener progress;
  private final NativeState state;
  private final Cleaner.Cleanable cleanable;

  /**
   * The native resources of one prover, released by {@link #close} or, for a prover that was never
   * closed, by the cleaner once the prover is unreachable. Must not refer to the prover.
   */
  private static final class NativeState implements Runnable {
    final long progressId;
    volatile long handle;

    NativeState(long handle, long progressId) {
      this.handle = handle;
      this.progressId = progressId;
    }

    /** Releases the handle; returns the native close code (OK if there was nothing to do). */
    int release() {
      long h = handle;
      if (h == 0) {
        return NativeErrorCode.OK.code();
      }
      handle = 0;
      if (progressId != 0) {
        NativeProver.progressClose(progressId);
      }
      return NativeProver.close(h);
    }

    @Override
    public void run() {
      release();
    }
  }

  private BatchProver(
      long handle,
      String shape,
      int batchSize,
      int witnessSize,
      long progressId,
      ProgressListener progress) {
    this.shape = shape;
    this.batchSize = batchSize;
    this.witnessSize = witnessSize;
    this.progress = progress;
    this.state = new NativeState(handle, progressId);
    this.cleanable = CLEANER.register(this, state);
  }

  // package-private for tests: a prover around any handle (an invalid one proves that Java
  // refuses bad sizes without calling native code)
  BatchProver(long handle, String shape, int batchSize, int witnessSize) {
    this(handle, shape, batchSize, witnessSize, 0, ProgressListener.none());
  }

  /**
   * The default key directory: {@code $ZKPERP_KEYS}, else {@code ~/.cache/zkperp/keys}.
   *
   * @return the directory (not created)
   */
  public static Path defaultKeyDir() {
    String env = System.getenv(KEYS_ENV);
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    return Path.of(System.getProperty("user.home"), ".cache", "zkperp", "keys");
  }

  /**
   * Opens a prover with keys from {@link #defaultKeyDir()}.
   *
   * @param shape the circuit shape, e.g. {@code "tiny"} or {@code "devnet"}
   * @param progress receives setup and loading progress
   * @return the prover
   * @throws ProverException on an unknown shape, key mismatch or native failure
   */
  public static BatchProver open(String shape, ProgressListener progress) {
    return open(defaultKeyDir(), shape, progress);
  }

  /**
   * Opens a prover of a format v2 shape; runs the Groth16 setup if {@code keyDir} holds no keys for
   * the shape yet. Blocks the calling thread until the keys are loaded; progress arrives on another
   * thread.
   *
   * @param keyDir directory of the cached keys (one subdirectory per shape)
   * @param shape the format v2 circuit shape, e.g. {@code "tiny"} or {@code "devnet"}
   * @param progress receives setup and loading progress, and later the progress of each {@link
   *     #prove}, line by line
   * @return the prover
   * @throws ProvingKeyMismatchException if cached keys do not match the circuit
   * @throws NativeProverException on an unknown shape, a format v3 shape (it needs its domain: use
   *     {@link #open(Path, String, MessageDomain, ProgressListener)}) or any other native failure
   * @throws NativeLibraryException if the native library cannot be loaded
   */
  public static BatchProver open(Path keyDir, String shape, ProgressListener progress) {
    return open(keyDir, shape, 0, null, progress);
  }

  /**
   * Opens a prover of a format v3 shape for one deployment, with keys from {@link
   * #defaultKeyDir()}.
   *
   * @param shape the format v3 circuit shape, e.g. {@code "v3-tiny"}
   * @param domain the deployment (chain id, rollup address) the circuit is built for
   * @param progress receives setup and loading progress
   * @return the prover
   * @throws ProverException on an unknown or format v2 shape, key mismatch or native failure
   */
  public static BatchProver open(String shape, MessageDomain domain, ProgressListener progress) {
    return open(defaultKeyDir(), shape, domain, progress);
  }

  /**
   * Opens a prover of a format v3 shape for one deployment; runs the Groth16 setup if {@code
   * keyDir} holds no keys for the shape and domain yet (one subdirectory per shape and domain,
   * whose manifest names the domain). Blocks the calling thread until the keys are loaded; progress
   * arrives on another thread.
   *
   * @param keyDir directory of the cached keys
   * @param shape the format v3 circuit shape, e.g. {@code "v3-tiny"} or {@code "v3-devnet"}
   * @param domain the deployment (chain id, rollup address) the circuit is built for
   * @param progress receives setup and loading progress, and later the progress of each {@link
   *     #prove}, line by line
   * @return the prover
   * @throws ProvingKeyMismatchException if cached keys do not match the circuit
   * @throws NativeProverException on an unknown shape, a format v2 shape (it has no domain: use
   *     {@link #open(Path, String, ProgressListener)}) or any other native failure
   * @throws NativeLibraryException if the native library cannot be loaded
   */
  public static BatchProver open(
      Path keyDir, String shape, MessageDomain domain, ProgressListener progress) {
    Objects.requireNonNull(domain, "domain");
    return open(keyDir, shape, domain.chainId(), domain.rollupAddress().toBytes(), progress);
  }

  private static BatchProver open(
      Path keyDir, String shape, long chainId, byte[] rollup, ProgressListener progress) {
    Objects.requireNonNull(keyDir, "keyDir");
    byte[] dir = keyDir.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8);
    return openNative(
        shape,
        progress,
        (name, progressId, call) ->
            NativeProver.open(dir, name, chainId, rollup, progressId, call.longs, call.objects));
  }

  /**
   * Opens a format v2 shape for checking only: compiles its circuit, reads and sets up no keys. The
   * result serves {@link #check} (and the sizes); {@link #prove}, {@link #verify} and {@link
   * #solidityVerifier} throw {@link NativeProverException} (invalid argument). Meant for tests that
   * only ask whether the circuit accepts witnesses, on shapes whose setup would take long.
   *
   * @param shape the format v2 circuit shape
   * @return the checking prover
   * @throws NativeProverException on an unknown or format v3 shape or another native failure
   * @throws NativeLibraryException if the native library cannot be loaded
   */
  public static BatchProver openForCheck(String shape) {
    return openForCheck(shape, 0, null);
  }

  /**
   * Opens a format v3 shape for one deployment for checking only: compiles its circuit (seconds,
   * whatever the shape: no Groth16 setup), reads and sets up no keys. The result serves {@link
   * #check} (and the sizes); {@link #prove}, {@link #verify} and {@link #solidityVerifier} throw
   * {@link NativeProverException} (invalid argument).
   *
   * @param shape the format v3 circuit shape, e.g. {@code "v3-tiny"} or {@code "v3-devnet"}
   * @param domain the deployment (chain id, rollup address) the circuit is built for
   * @return the checking prover
   * @throws NativeProverException on an unknown or format v2 shape or another native failure
   * @throws NativeLibraryException if the native library cannot be loaded
   */
  public static BatchProver openForCheck(String shape, MessageDomain domain) {
    Objects.requireNonNull(domain, "domain");
    return openForCheck(shape, domain.chainId(), domain.rollupAddress().toBytes());
  }

  private static BatchProver openForCheck(String shape, long chainId, byte[] rollup) {
    return openNative(
        shape,
        ProgressListener.none(),
        (name, progressId, call) ->
            NativeProver.openForCheck(name, chainId, rollup, progressId, call.longs, call.objects));
  }

  /** One of the native open exports, given the shape name, the progress buffer and the outputs. */
  private interface NativeOpen {
    int open(byte[] shape, long progressId, NativeProver.Call call);
  }

  private static BatchProver openNative(String shape, ProgressListener progress, NativeOpen open) {
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(progress, "progress");
    NativeLibrary.load();
    long progressId = NativeProver.progressOpen();
    ProgressPump pump = new ProgressPump(progressId, progress);
    pump.start();
    NativeProver.Call call = new NativeProver.Call();
    int code = NativeErrorCode.INTERNAL.code();
    try {
      code = open.open(shape.getBytes(StandardCharsets.UTF_8), progressId, call);
    } finally {
      pump.finish();
      if (code != NativeErrorCode.OK.code()) {
        NativeProver.progressClose(progressId);
      }
    }
    call.check(code);
    // the native prover keeps writing to the progress buffer (proving heartbeats): keep it
    return new BatchProver(
        call.longs[0], shape, (int) call.longs[1], (int) call.longs[2], progressId, progress);
  }

  /**
   * The exact witness length of a shape, without opening keys.
   *
   * @param shape the circuit shape
   * @return the witness length in bytes
   * @throws NativeProverException if the shape is unknown
   * @throws NativeLibraryException if the native library cannot be loaded
   */
  public static int witnessSize(String shape) {
    return (int) shapeInfo(shape)[1];
  }

  /**
   * The batch format a shape's circuit proves, without opening keys.
   *
   * @param shape the circuit shape
   * @return 2 (the collateral circuit) or 3 (the format v3 batch circuit)
   * @throws NativeProverException if the shape is unknown
   * @throws NativeLibraryException if the native library cannot be loaded
   */
  public static int batchFormat(String shape) {
    return (int) shapeInfo(shape)[2];
  }

  /**
   * The number of transaction slots of a shape (format v3: its step count, every slot of every
   * group), without opening keys.
   *
   * @param shape the circuit shape
   * @return the batch size
   * @throws NativeProverException if the shape is unknown
   * @throws NativeLibraryException if the native library cannot be loaded
   */
  public static int batchSize(String shape) {
    return (int) shapeInfo(shape)[0];
  }

  private static long[] shapeInfo(String shape) {
    Objects.requireNonNull(shape, "shape");
    NativeLibrary.load();
    NativeProver.Call call = new NativeProver.Call();
    call.check(
        NativeProver.shapeInfo(shape.getBytes(StandardCharsets.UTF_8), call.longs, call.objects));
    return new long[] {call.longs[0], call.longs[1], call.longs[2]};
  }

  /**
   * Returns the shape name.
   *
   * @return the shape this prover was opened for
   */
  public String shape() {
    return shape;
  }

  /**
   * Returns the batch size.
   *
   * @return the number of transaction slots of the shape
   */
  public int batchSize() {
    return batchSize;
  }

  /**
   * Returns the witness size.
   *
   * @return the exact length in bytes every witness of this shape has
   */
  public int witnessSize() {
    return witnessSize;
  }

  /**
   * Runs the circuit's solver on a witness without proving: fast, and (format v2) names the
   * transaction that breaks a rule. A format v3 witness carries no transaction to check natively: a
   * broken rule is reported at batch level (transaction index -1).
   *
   * @param witness the witness, exactly {@link #witnessSize()} bytes
   * @throws InvalidWitnessException if the witness has the wrong length or is malformed
   * @throws UnsatisfiableWitnessException if the witness breaks a circuit rule
   * @throws NativeProverException on another native failure
   */
  public void check(byte[] witness) {
    checkWitnessSize(witness);
    NativeProver.Call call = new NativeProver.Call();
    withHandle(h -> call.check(NativeProver.check(h, witness, call.longs, call.objects)));
  }

  /**
   * Proves a batch. Progress lines (start, heartbeats, elapsed time) go to the listener given to
   * {@link #open}, on its own thread, while the proof runs.
   *
   * @param witness the witness, exactly {@link #witnessSize()} bytes
   * @return the proof with its public input
   * @throws InvalidWitnessException if the witness has the wrong length or is malformed
   * @throws UnsatisfiableWitnessException if the witness breaks a circuit rule
   * @throws NativeProverException on another native failure
   */
  public BatchProof prove(byte[] witness) {
    checkWitnessSize(witness);
    NativeProver.Call call = new NativeProver.Call();
    withHandle(
        h -> {
          ProgressPump pump =
              state.progressId == 0 ? null : new ProgressPump(state.progressId, progress);
          if (pump != null) {
            pump.start();
          }
          int code;
          try {
            code = NativeProver.prove(h, witness, call.longs, call.objects);
          } finally {
            if (pump != null) {
              pump.finish();
            }
          }
          call.check(code);
        });
    return new BatchProof(call.bytes(0), call.bytes(1), call.bytes(2));
  }

  /**
   * Verifies a proof against its own public input.
   *
   * @param proof the proof
   * @return true if the proof is valid
   * @throws NativeProverException on a native failure other than an invalid proof
   */
  public boolean verify(BatchProof proof) {
    Objects.requireNonNull(proof, "proof");
    return verify(proof.raw(), proof.publicInput());
  }

  /**
   * Verifies a raw proof against a public input.
   *
   * @param raw the raw gnark proof bytes ({@link BatchProof#raw()})
   * @param publicInput the 32-byte big-endian public input
   * @return true if the proof is valid for that input, false otherwise (including undecodable proof
   *     bytes)
   * @throws IllegalArgumentException if the public input is not 32 bytes
   * @throws NativeProverException on a native failure other than an invalid proof
   */
  public boolean verify(byte[] raw, byte[] publicInput) {
    Objects.requireNonNull(raw, "raw");
    Objects.requireNonNull(publicInput, "publicInput");
    if (publicInput.length != BatchProof.PUBLIC_INPUT_BYTES) {
      throw new IllegalArgumentException(
          "public input must be "
              + BatchProof.PUBLIC_INPUT_BYTES
              + " bytes, got "
              + publicInput.length);
    }
    if (raw.length == 0) {
      return false;
    }
    NativeProver.Call call = new NativeProver.Call();
    int[] code = new int[1];
    withHandle(h -> code[0] = NativeProver.verify(h, raw, publicInput, call.longs, call.objects));
    if (code[0] == NativeErrorCode.VERIFY_FAILED.code()) {
      return false;
    }
    call.check(code[0]);
    return true;
  }

  /**
   * The Solidity verifier of this shape's verifying key ({@code contract Verifier}, gnark's {@code
   * ExportSolidity}).
   *
   * @return the Solidity source
   * @throws NativeProverException on a native failure
   */
  public String solidityVerifier() {
    NativeProver.Call call = new NativeProver.Call();
    withHandle(h -> call.check(NativeProver.solidityVerifier(h, call.longs, call.objects)));
    return new String(call.bytes(0), StandardCharsets.UTF_8);
  }

  /**
   * Releases the native prover. Idempotent; waits for a running call. A prover that is never closed
   * is released once it is unreachable, but its proving key (hundreds of megabytes for larger
   * shapes) stays in native memory until then: close it.
   *
   * @throws NativeProverException if the native side did not know the handle (a bug)
   */
  @Override
  public void close() {
    lock.lock();
    try {
      long h = state.handle;
      if (h == 0) {
        return;
      }
      int code = state.release();
      cleanable.clean(); // nothing left to release; deregisters
      if (code != NativeErrorCode.OK.code()) {
        throw NativeProver.exception(code, -1, "close of handle " + h + " failed");
      }
    } finally {
      lock.unlock();
    }
  }

  private void checkWitnessSize(byte[] witness) {
    Objects.requireNonNull(witness, "witness");
    if (witness.length != witnessSize) {
      throw new InvalidWitnessException(
          Math.min(witness.length, witnessSize),
          "witness of shape "
              + shape
              + " must be "
              + witnessSize
              + " bytes, got "
              + witness.length);
    }
  }

  private interface HandleCall {
    void run(long handle);
  }

  private void withHandle(HandleCall body) {
    lock.lock();
    try {
      long h = state.handle;
      if (h == 0) {
        throw new IllegalStateException("BatchProver of shape " + shape + " is closed");
      }
      body.run(h);
    } finally {
      lock.unlock();
      Reference.reachabilityFence(this); // the cleaner must not release the handle mid-call
    }
  }

  /** Drains native progress output on its own thread and hands whole lines to the listener. */
  private static final class ProgressPump extends Thread {
    private final long id;
    private final ProgressListener listener;
    private final StringBuilder pending = new StringBuilder();
    private volatile boolean done;

    ProgressPump(long id, ProgressListener listener) {
      super("zkperp-prover-progress");
      setDaemon(true);
      this.id = id;
      this.listener = listener;
    }

    @Override
    public void run() {
      while (!done) {
        drain(false);
        try {
          TimeUnit.MILLISECONDS.sleep(100);
        } catch (InterruptedException e) {
          break;
        }
      }
      drain(true);
    }

    void finish() {
      done = true;
      interrupt();
      try {
        join(TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private void drain(boolean last) {
      byte[] b = NativeProver.progressDrain(id);
      if (b != null) {
        pending.append(new String(b, StandardCharsets.UTF_8));
      }
      int nl;
      while ((nl = indexOfLineEnd()) >= 0) {
        emit(pending.substring(0, nl));
        int skip =
            pending.charAt(nl) == '\r'
                    && nl + 1 < pending.length()
                    && pending.charAt(nl + 1) == '\n'
                ? 2
                : 1;
        pending.delete(0, nl + skip);
      }
      if (last && !pending.isEmpty()) {
        emit(pending.toString());
        pending.setLength(0);
      }
    }

    private int indexOfLineEnd() {
      for (int i = 0; i < pending.length(); i++) {
        char c = pending.charAt(i);
        if (c == '\n' || c == '\r') {
          return i;
        }
      }
      return -1;
    }

    private void emit(String line) {
      if (line.isBlank()) {
        return;
      }
      try {
        listener.onProgress(line);
      } catch (RuntimeException e) {
        // a failing listener must not break the native call it observes
      }
    }
  }
}
