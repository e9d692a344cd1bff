/**
 * Groth16 batch proving over JNI.
 *
 * <p>{@link io.zkperp.prover.BatchProver} is the Java face of the native gnark prover in {@code
 * libzkprover.so} (built from {@code prover-bridge/native/jni}, packed into this jar under {@code
 * native/linux-x86_64/} and loaded by {@link io.zkperp.prover.NativeLibrary}). Byte arrays go in
 * and out; Java checks every size before calling native code, and every native failure comes back
 * as an integer code mapped onto the sealed {@link io.zkperp.prover.ProverException} hierarchy. A
 * Go panic is recovered on the native side and surfaces as a {@link
 * io.zkperp.prover.NativeProverException}; it never aborts the JVM.
 *
 * <p>Proving uses every core and gigabytes of memory for larger shapes, so the node never proves in
 * its own process: see {@link io.zkperp.prover.worker} for the isolated worker.
 */
package io.zkperp.prover;
