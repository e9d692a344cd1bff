package io.zkperp.gateway.methods;

import io.zkperp.gateway.rpc.ParamSpec;
import io.zkperp.gateway.rpc.Params;
import io.zkperp.gateway.rpc.RpcError;
import io.zkperp.gateway.rpc.RpcException;
import io.zkperp.protocol.eddsa.EdDsaPublicKey;
import io.zkperp.protocol.eddsa.SignatureVerifier;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.message.ReadGrantMessage;
import io.zkperp.sequencer.pipeline.PublicKeyDirectory;
import io.zkperp.sequencer.risk.RiskEngine;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * The gate of private account reads: checks the read grant ({@link ReadGrantMessage}) a method's
 * {@code auth} parameter carries for the account asked about. In order: present ({@link
 * RpcError#READ_AUTH_REQUIRED}), for that account ({@link RpcError#READ_GRANT_WRONG_ACCOUNT}), in
 * its window — after the gateway's clock, at most {@link ReadGrantMessage#MAX_VALIDITY_SECONDS}
 * ahead ({@link RpcError#READ_GRANT_EXPIRED}) — and signed by the account's key in this
 * deployment's domain ({@link RpcError#READ_GRANT_INVALID}, also for an account without a key: the
 * error does not say which). The insurance fund's account ({@link RiskEngine#INSURANCE_FUND}) has
 * no key and is the venue's, not a trader's: it is public and needs no grant. The shape of {@code
 * auth} is checked like any parameter ({@link RpcError#INVALID_PARAMS}).
 *
 * <p>A grant whose signature verified is remembered, keyed by its exact bytes (account, validUntil,
 * signature), in a bounded LRU cache: a client polling with one grant pays one EdDSA verification,
 * not one per call. The window is checked before the cache, so a remembered grant is refused once
 * it has expired (and ages out of the cache as newer grants come in). The verification itself runs
 * on the gateway's verifier threads, off the Netty event loop, as cancels' do. Failed verifications
 * are not remembered. An account without a key is refused without a verification, so the answer
 * comes sooner; which accounts have keys is public on L1 (deposits carry them) anyway.
 *
 * <p>Thread-safe: called from Netty threads; the cache is guarded by this object.
 */
public final class ReadGrants {
  /** The default number of verified grants remembered. */
  public static final int DEFAULT_CACHE_SIZE = 10_000;

  private static final List<ParamSpec> MEMBERS = ParamSpec.readGrant(true, "").members();

  private final PublicKeyDirectory keys;
  private final Executor verifiers;
  private final LongSupplier clockSeconds;
  private final SignatureVerifier signatures;
  private final MessageDomain domain;
  private final Map<Grant, Boolean> verified;

  /** A grant's exact bytes; the signature compared by content. */
  private record Grant(int account, long validUntil, ByteBuffer signature) {}

  /**
   * The gate.
   *
   * @param keys the accounts' keys (the sequencer's directory)
   * @param verifiers the threads that run signature checks
   * @param clockSeconds unix time in seconds
   * @param signatures verifies the signatures (the same verifier as the order intake's)
   * @param domain the deployment grants must be signed for
   * @param cacheSize the most verified grants remembered, ≥ 1
   */
  public ReadGrants(
      PublicKeyDirectory keys,
      Executor verifiers,
      LongSupplier clockSeconds,
      SignatureVerifier signatures,
      MessageDomain domain,
      int cacheSize) {
    if (cacheSize < 1) {
      throw new IllegalArgumentException("cacheSize must be ≥ 1, got " + cacheSize);
    }
    this.keys = keys;
    this.verifiers = verifiers;
    this.clockSeconds = clockSeconds;
    this.signatures = signatures;
    this.domain = domain;
    this.verified =
        new LinkedHashMap<>(16, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<Grant, Boolean> eldest) {
            return size() > cacheSize;
          }
        };
  }

  /**
   * Checks the {@code auth} parameter of a call about {@code account}. Synchronous checks throw;
   * the signature, unless cached, is verified on a verifier thread.
   *
   * @param p the call's parameters
   * @param account the account the call reads
   * @return completes with the grant's validUntil when it authorises the read (on the calling
   *     thread for a cached grant), else exceptionally with an {@link RpcException}
   * @throws RpcException for a missing, malformed, other-account or out-of-window grant
   */
  public CompletableFuture<Long> authorize(Params p, int account) {
    if (account == RiskEngine.INSURANCE_FUND && !p.has(ParamSpec.AUTH)) {
      return CompletableFuture.completedFuture(Long.MAX_VALUE); // the venue's own, public account
    }
    if (!p.has(ParamSpec.AUTH)) {
      throw new RpcException(
          RpcError.READ_AUTH_REQUIRED,
          "reading account "
              + account
              + " needs \"auth\", a read grant {account, validUntil, signature} signed by its"
              + " key (gateway README, \"Private account data\")");
    }
    Params auth = p.object(ParamSpec.AUTH, MEMBERS);
    int grantAccount = (int) auth.longValue("account", 0, Integer.MAX_VALUE);
    long validUntil = auth.longValue("validUntil", 0, Long.MAX_VALUE);
    byte[] signature = auth.hexBytes("signature", 64);
    if (grantAccount != account) {
      throw new RpcException(
          RpcError.READ_GRANT_WRONG_ACCOUNT,
          "the read grant is for account " + grantAccount + ", the call reads account " + account);
    }
    long now = clockSeconds.getAsLong();
    if (validUntil <= now || validUntil - now > ReadGrantMessage.MAX_VALIDITY_SECONDS) {
      throw new RpcException(
          RpcError.READ_GRANT_EXPIRED,
          "the read grant's validUntil "
              + validUntil
              + " must be in ("
              + now
              + ", "
              + (now + ReadGrantMessage.MAX_VALIDITY_SECONDS)
              + "] (the gateway's clock is "
              + now
              + " unix seconds); sign a new grant");
    }
    Grant grant = new Grant(account, validUntil, ByteBuffer.wrap(signature));
    synchronized (this) {
      if (verified.get(grant) != null) {
        return CompletableFuture.completedFuture(validUntil);
      }
    }
    EdDsaPublicKey key = keys.publicKey(account);
    if (key == null) {
      return CompletableFuture.failedFuture(invalid(account));
    }
    ReadGrantMessage message = new ReadGrantMessage(account, validUntil);
    return CompletableFuture.supplyAsync(
        () -> {
          if (!message.verify(signatures, key, signature, domain)) {
            throw invalid(account);
          }
          synchronized (this) {
            verified.put(grant, Boolean.TRUE);
          }
          return validUntil;
        },
        verifiers);
  }

  /**
   * Seconds from the gateway's clock until a grant's validUntil.
   *
   * @param validUntil the grant's validUntil
   * @return how long it still authorises reads, ≥ 0
   */
  public long secondsLeft(long validUntil) {
    return Math.max(0, validUntil - clockSeconds.getAsLong());
  }

  /**
   * The number of verified grants remembered (for tests and metrics).
   *
   * @return the cache size
   */
  public synchronized int cached() {
    return verified.size();
  }

  private static RpcException invalid(int account) {
    return new RpcException(
        RpcError.READ_GRANT_INVALID,
        "the read grant does not verify for account "
            + account
            + " in this node's domain (perp_getDomain); sign it with the account's key");
  }
}
