package io.zkperp.gateway.methods;

import io.zkperp.gateway.rpc.RpcError;
import io.zkperp.gateway.rpc.RpcException;
import io.zkperp.protocol.eddsa.EdDsaPublicKey;
import io.zkperp.protocol.field.Fr;
import io.zkperp.sequencer.command.CancelMessages;
import io.zkperp.sequencer.pipeline.PublicKeyDirectory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * Checks a signed cancel's validity window (on the calling thread) and its EdDSA signature (on the
 * gateway's verifier threads, in parallel, off the Netty event loop). Any thread.
 */
public final class CancelVerifier {
  private final PublicKeyDirectory keys;
  private final Executor verifiers;
  private final LongSupplier clockSeconds;
  private final AccountLimit limit;

  /**
   * A verifier.
   *
   * @param keys the accounts' keys (the sequencer's directory)
   * @param verifiers the threads that run signature checks
   * @param clockSeconds unix time in seconds
   * @param limit the per-account command limit, charged after a valid signature
   */
  public CancelVerifier(
      PublicKeyDirectory keys, Executor verifiers, LongSupplier clockSeconds, AccountLimit limit) {
    this.keys = keys;
    this.verifiers = verifiers;
    this.clockSeconds = clockSeconds;
    this.limit = limit;
  }

  AccountLimit limit() {
    return limit;
  }

  /**
   * Checks the window now and the signature on a verifier thread.
   *
   * @param account the account
   * @param validUntil the message's validUntil
   * @param hash the message hash
   * @param signature the signature bytes
   * @param what the message, described for errors
   * @return completes normally if valid, else exceptionally with an {@link RpcException}
   */
  CompletableFuture<Void> verify(
      int account, long validUntil, Fr hash, byte[] signature, String what) {
    long now = clockSeconds.getAsLong();
    if (validUntil <= now || validUntil > now + CancelMessages.MAX_VALIDITY_SECONDS) {
      return CompletableFuture.failedFuture(
          new RpcException(
              RpcError.CANCEL_VALIDITY_OUT_OF_WINDOW,
              "validUntil "
                  + validUntil
                  + " must be in ("
                  + now
                  + ", "
                  + (now + CancelMessages.MAX_VALIDITY_SECONDS)
                  + "] (the gateway's clock is "
                  + now
                  + " unix seconds)"));
    }
    EdDsaPublicKey key = keys.publicKey(account);
    if (key == null) {
      return CompletableFuture.failedFuture(
          new RpcException(
              RpcError.UNKNOWN_ACCOUNT, "account " + account + " has no registered public key"));
    }
    return CompletableFuture.runAsync(
        () -> {
          if (!CancelMessages.verify(key, signature, hash)) {
            throw new RpcException(
                RpcError.BAD_SIGNATURE,
                "the signature does not verify for account " + account + " over " + what);
          }
        },
        verifiers);
  }
}
