package io.zkperp.gateway.methods;

import io.zkperp.gateway.rpc.RpcError;
import io.zkperp.gateway.rpc.RpcException;
import io.zkperp.protocol.eddsa.EdDsaPublicKey;
import io.zkperp.protocol.eddsa.SignatureVerifier;
import io.zkperp.protocol.encoding.InvalidEncodingException;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.message.CancelOrderMessage;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.sequencer.RejectReason;
import io.zkperp.sequencer.pipeline.PublicKeyDirectory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * Checks a signed cancel's validity window (on the calling thread) and its EdDSA signature (on the
 * gateway's verifier threads, in parallel, off the Netty event loop). Any thread.
 */
public final class CancelVerifier {
  private final SignatureVerifier signatures;
  private final PublicKeyDirectory keys;
  private final Executor verifiers;
  private final LongSupplier clockSeconds;
  private final AccountLimit limit;
  private final CancelReplayGuard replays;
  private final MessageDomain domain;

  /**
   * A verifier.
   *
   * @param keys the accounts' keys (the sequencer's directory)
   * @param verifiers the threads that run signature checks
   * @param clockSeconds unix time in seconds
   * @param limit the per-account command limit, checked before and charged after a valid signature
   * @param replays the spent cancel messages
   * @param signatures verifies the signatures (the same verifier as the order intake's)
   * @param domain the deployment cancels must be signed for
   */
  public CancelVerifier(
      PublicKeyDirectory keys,
      Executor verifiers,
      LongSupplier clockSeconds,
      AccountLimit limit,
      CancelReplayGuard replays,
      SignatureVerifier signatures,
      MessageDomain domain) {
    this.keys = keys;
    this.domain = domain;
    this.signatures = signatures;
    this.verifiers = verifiers;
    this.clockSeconds = clockSeconds;
    this.limit = limit;
    this.replays = replays;
  }

  AccountLimit limit() {
    return limit;
  }

  /** The deployment cancels must be signed for. */
  MessageDomain domain() {
    return domain;
  }

  /**
   * Checks the account's budget and the window now, then the signature on a verifier thread, then
   * spends the message (a replay is refused {@code CANCEL_REPLAYED}). The budget is charged by the
   * caller once this completes normally.
   *
   * @param account the account
   * @param validUntil the message's validUntil
   * @param hash the message hash ({@code CancelOrderMessage} or {@code CancelAllMessage} in {@link
   *     #domain()})
   * @param signature the signature bytes
   * @param what the message, described for errors
   * @return completes normally if valid, else exceptionally with an {@link RpcException}
   */
  CompletableFuture<Void> verify(
      int account, long validUntil, Fr hash, byte[] signature, String what) {
    long now = clockSeconds.getAsLong();
    if (validUntil <= now || validUntil > now + CancelOrderMessage.MAX_VALIDITY_SECONDS) {
      return CompletableFuture.failedFuture(
          new RpcException(
              RpcError.CANCEL_VALIDITY_OUT_OF_WINDOW,
              "validUntil "
                  + validUntil
                  + " must be in ("
                  + now
                  + ", "
                  + (now + CancelOrderMessage.MAX_VALIDITY_SECONDS)
                  + "] (the gateway's clock is "
                  + now
                  + " unix seconds)"));
    }
    if (validUntil <= replays.refusedUpTo()) {
      return CompletableFuture.failedFuture(
          new RpcException(
              RpcError.CANCEL_VALIDITY_OUT_OF_WINDOW,
              "validUntil "
                  + validUntil
                  + " is at or before "
                  + replays.refusedUpTo()
                  + ": the gateway restarted and cannot tell whether a cancel signed before the"
                  + " restart was already used; sign with validUntil = now + "
                  + CancelOrderMessage.MAX_VALIDITY_SECONDS));
    }
    limit.check(account);
    EdDsaPublicKey key = keys.publicKey(account);
    if (key == null) {
      return CompletableFuture.failedFuture(
          new RpcException(
              RpcError.of(RejectReason.UNKNOWN_ACCOUNT),
              "account " + account + " has no registered public key"));
    }
    return CompletableFuture.runAsync(
        () -> {
          if (!valid(key, signature, hash)) {
            throw new RpcException(
                RpcError.of(RejectReason.BAD_SIGNATURE),
                "the signature does not verify for account " + account + " over " + what);
          }
          if (!replays.spend(hash, validUntil, now)) {
            throw new RpcException(
                RpcError.CANCEL_REPLAYED,
                "this signed cancel was already used (" + what + "); sign a new one");
          }
        },
        verifiers);
  }

  private boolean valid(EdDsaPublicKey key, byte[] signature, Fr hash) {
    try {
      return signatures.verify(key, signature, hash);
    } catch (InvalidEncodingException e) {
      return false; // malformed signature bytes: invalid like any other wrong signature
    }
  }
}
