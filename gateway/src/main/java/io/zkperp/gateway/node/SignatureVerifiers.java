package io.zkperp.gateway.node;

import io.zkperp.protocol.eddsa.JavaSignatureVerifier;
import io.zkperp.protocol.eddsa.SignatureVerifier;
import io.zkperp.prover.NativeLibraryException;
import io.zkperp.prover.NativeSignatureVerifier;
import io.zkperp.sequencer.pipeline.Sequencer;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which {@link SignatureVerifier} the node's order intake uses ({@code --signature-verifier}). Both
 * give the same answers (checked against each other and against the gnark-crypto vectors by {@code
 * NativeSignatureVerifierTest}); the native one is about four times faster.
 */
public enum SignatureVerifiers {
  /** The native verifier where {@code libzkprover.so} loads, else Java (logged). */
  AUTO,
  /** The native verifier, or fail to start. */
  NATIVE,
  /** The Java verifier. */
  JAVA;

  private static final Logger LOG = LoggerFactory.getLogger(SignatureVerifiers.class);

  /**
   * Parses an option value.
   *
   * @param value auto, native or java (any case)
   * @return the choice
   * @throws IllegalArgumentException for anything else
   */
  public static SignatureVerifiers parse(String value) {
    try {
      return valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--signature-verifier takes auto, native or java, not " + value, e);
    }
  }

  /**
   * Creates the verifier. Any thread.
   *
   * @return a verifier keeping {@link Sequencer#KEY_TABLES} signers' tables
   * @throws NativeLibraryException for {@link #NATIVE} where the library does not load
   */
  public SignatureVerifier create() {
    SignatureVerifier v =
        switch (this) {
          case JAVA -> new JavaSignatureVerifier(Sequencer.KEY_TABLES);
          case NATIVE -> NativeSignatureVerifier.load(Sequencer.KEY_TABLES);
          case AUTO -> {
            try {
              yield NativeSignatureVerifier.load(Sequencer.KEY_TABLES);
            } catch (NativeLibraryException e) {
              LOG.warn(
                  "native signature verifier unavailable ({}); verifying order signatures in"
                      + " Java, about four times slower",
                  e.getMessage());
              yield new JavaSignatureVerifier(Sequencer.KEY_TABLES);
            }
          }
        };
    LOG.info("order signatures are verified by the {} verifier", v.description());
    return v;
  }
}
