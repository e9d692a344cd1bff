/**
 * The isolated prover worker: proving never runs in the caller's (sequencer's) process.
 *
 * <p>The caller ({@link io.zkperp.prover.worker.ProverWorkerClient}) writes each batch as a durable
 * job file into a job directory ({@link io.zkperp.prover.worker.JobStore}); a separate JVM ({@link
 * io.zkperp.prover.worker.ProverWorkerMain}) started and supervised by the client proves the jobs
 * with {@link io.zkperp.prover.BatchProver} and writes result files. Files are written atomically
 * (temporary file, fsync, rename, directory fsync). A job's id is its batch range and the SHA-256
 * of its witness, so submitting the same batch twice is a no-op and a job that already has a result
 * is never proved again. If the worker dies (crash, OOM kill, SIGKILL) the client starts a new one,
 * which picks up the unfinished job again; a job that kills the worker {@value
 * io.zkperp.prover.worker.WorkerOptions#DEFAULT_MAX_ATTEMPTS} times fails instead of looping. A
 * truncated or corrupt job file is rejected with a {@link
 * io.zkperp.prover.worker.CorruptJobException}, moved to {@code rejected/}, and the worker keeps
 * serving the other jobs.
 *
 * <p>File formats: see {@link io.zkperp.prover.worker.JobCodec} and {@code
 * prover-bridge/README.md}.
 */
package io.zkperp.prover.worker;
