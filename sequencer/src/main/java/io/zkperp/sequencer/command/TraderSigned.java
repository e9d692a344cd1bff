package io.zkperp.sequencer.command;

/**
 * A command that carries a trader's signature (or none, for the engine's own commands). Immutable
 * implementations; any thread.
 */
public interface TraderSigned {
  /**
   * The signature as a value.
   *
   * @return the signature, or {@link TraderSignature#NONE}
   */
  TraderSignature authorisation();

  /**
   * Whether the command carries a trader's signature.
   *
   * @return true iff the signature has 64 bytes
   */
  default boolean signed() {
    return authorisation().present();
  }

  /**
   * The signature bytes.
   *
   * @return a copy: 64 bytes, or none when unsigned
   */
  default byte[] signature() {
    return authorisation().bytes();
  }
}
