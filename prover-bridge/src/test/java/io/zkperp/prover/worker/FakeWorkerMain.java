package io.zkperp.prover.worker;

import io.zkperp.prover.BatchProof;
import io.zkperp.prover.ProvingKeyMismatchException;
import io.zkperp.prover.UnsatisfiableWitnessException;

/**
 * A worker process with a fake engine (no native prover): a "proof" takes {@code
 * -Dzkperp.fake.proveMillis} and is the witness's hash; witness[0] == 1 is unsatisfiable at tx 0.
 * Shape "mismatch" fails to open like stale keys do. Lets the supervisor tests run anywhere.
 */
public final class FakeWorkerMain {

  private FakeWorkerMain() {}

  public static void main(String[] args) {
    long millis = Long.getLong("zkperp.fake.proveMillis", 2000);
    System.exit(
        ProverWorkerMain.run(
            args,
            (keys, shape, log) -> {
              if (shape.equals("mismatch")) {
                throw new ProvingKeyMismatchException("fake: manifest does not match");
              }
              return new ProverWorker.Engine() {
                @Override
                public String shape() {
                  return shape;
                }

                @Override
                public BatchProof prove(byte[] witness) {
                  try {
                    Thread.sleep(millis);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  if (witness.length > 0 && witness[0] == 1) {
                    throw new UnsatisfiableWitnessException(0, "fake: bad signature");
                  }
                  return ProverWorkerTest.fakeProof(witness);
                }
              };
            }));
  }
}
