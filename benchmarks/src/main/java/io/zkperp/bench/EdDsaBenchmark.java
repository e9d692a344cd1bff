package io.zkperp.bench;

import io.zkperp.protocol.eddsa.EdDsa;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.eddsa.EdDsaPublicKey;
import io.zkperp.protocol.eddsa.EdDsaSignature;
import io.zkperp.protocol.eddsa.PublicKeyTable;
import io.zkperp.protocol.field.Fr;
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

/** EdDSA signing, verification and signature decoding (which includes R's subgroup check). */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class EdDsaBenchmark {
  private EdDsaPrivateKey key;
  private EdDsaPublicKey publicKey;
  private Fr message;
  private EdDsaSignature signature;
  private byte[] signatureBytes;
  private PublicKeyTable table;

  /** One key, one message. */
  @Setup
  public void setup() {
    key = EdDsaPrivateKey.fromSeed(new byte[32]);
    publicKey = key.publicKey();
    message = Fr.fromUnsignedLong(42);
    signature = EdDsa.sign(key, message);
    signatureBytes = signature.encode();
    table = PublicKeyTable.of(publicKey);
  }

  /**
   * Deterministic signing.
   *
   * @return the signature
   */
  @Benchmark
  public EdDsaSignature sign() {
    return EdDsa.sign(key, message);
  }

  /**
   * Verification of an already decoded signature.
   *
   * @return the verdict
   */
  @Benchmark
  public boolean verify() {
    return EdDsa.verify(publicKey, signature, message);
  }

  /**
   * Strict decoding plus verification: what order intake pays per signed order.
   *
   * @return the verdict
   */
  @Benchmark
  public boolean decodeAndVerify() {
    return EdDsa.verify(publicKey, EdDsaSignature.decode(signatureBytes), message);
  }

  /**
   * The encoded fast path (exact equation instead of a separate subgroup check of R).
   *
   * @return the verdict
   */
  @Benchmark
  public boolean verifyEncoded() {
    return EdDsa.verify(publicKey, signatureBytes, message);
  }

  /**
   * The encoded fast path with the signer's precomputed comb table (what intake does for a signer
   * in its key-table cache).
   *
   * @return the verdict
   */
  @Benchmark
  public boolean verifyEncodedWithKeyTable() {
    return EdDsa.verify(table, signatureBytes, message);
  }
}
