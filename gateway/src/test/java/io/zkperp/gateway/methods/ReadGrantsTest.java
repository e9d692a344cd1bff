package io.zkperp.gateway.methods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.gateway.rpc.Params;
import io.zkperp.gateway.rpc.RpcError;
import io.zkperp.gateway.rpc.RpcException;
import io.zkperp.gateway.rpc.RpcMethod;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.eddsa.EdDsaPublicKey;
import io.zkperp.protocol.eddsa.JavaSignatureVerifier;
import io.zkperp.protocol.eddsa.SignatureVerifier;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.message.ReadGrantMessage;
import io.zkperp.sequencer.pipeline.PublicKeyDirectory;
import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The cache of verified read grants: a grant polled again is not verified again (the real Java
 * verifier, counted), it is still refused once expired, a failed verification is not remembered,
 * and the cache holds at most its size (least recently used out first).
 */
class ReadGrantsTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final long NOW = 1_700_000_000L;

  private final EdDsaPrivateKey key = EdDsaPrivateKey.fromSeed(new byte[32]);
  private final PublicKeyDirectory.InMemory keys = PublicKeyDirectory.inMemory();
  private final AtomicInteger verifications = new AtomicInteger();
  private final AtomicLong clock = new AtomicLong(NOW);
  private final ExecutorService threads = Executors.newSingleThreadExecutor();
  private final SignatureVerifier counting =
      new SignatureVerifier() {
        private final JavaSignatureVerifier real = new JavaSignatureVerifier(8);

        @Override
        public boolean verify(EdDsaPublicKey k, byte[] signature, Fr... message) {
          verifications.incrementAndGet();
          return real.verify(k, signature, message);
        }

        @Override
        public boolean verifyHashed(EdDsaPublicKey k, byte[] signature, Fr... fields) {
          verifications.incrementAndGet();
          return real.verifyHashed(k, signature, fields);
        }

        @Override
        public String description() {
          return "counting " + real.description();
        }
      };

  ReadGrantsTest() {
    keys.register(3, key.publicKey());
  }

  @AfterEach
  void stop() {
    threads.shutdownNow();
  }

  private ReadGrants grants(int cacheSize) {
    return new ReadGrants(keys, threads, clock::get, counting, MessageDomain.DEMO, cacheSize);
  }

  private static Params params(int account, long validUntil, byte[] signature) {
    ObjectNode p = MAPPER.createObjectNode().put("account", account);
    p.putObject("auth")
        .put("account", account)
        .put("validUntil", validUntil)
        .put("signature", "0x" + HexFormat.of().formatHex(signature));
    return Params.of(p, RpcMethod.GET_ACCOUNT.params());
  }

  private Params grant(long validUntil) {
    return params(3, validUntil, new ReadGrantMessage(3, validUntil).sign(key, MessageDomain.DEMO));
  }

  private static long await(java.util.concurrent.CompletableFuture<Long> f) throws Exception {
    return f.get(10, TimeUnit.SECONDS);
  }

  @Test
  void aPolledGrantIsVerifiedOnceUntilItExpires() throws Exception {
    ReadGrants g = grants(16);
    Params p = grant(NOW + 60);
    for (int i = 0; i < 5; i++) {
      assertThat(await(g.authorize(p, 3))).isEqualTo(NOW + 60);
    }
    assertThat(verifications.get()).isEqualTo(1);
    assertThat(g.cached()).isEqualTo(1);
    clock.set(NOW + 60); // expired: the cached grant is refused all the same
    assertThatThrownBy(() -> g.authorize(p, 3))
        .isInstanceOfSatisfying(
            RpcException.class, e -> assertThat(e.error()).isSameAs(RpcError.READ_GRANT_EXPIRED));
    assertThat(verifications.get()).isEqualTo(1);
  }

  @Test
  void aFailedVerificationIsNotRemembered() throws Exception {
    ReadGrants g = grants(16);
    byte[] wrong = new ReadGrantMessage(3, NOW + 61).sign(key, MessageDomain.DEMO);
    Params p = params(3, NOW + 60, wrong);
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> await(g.authorize(p, 3)))
          .hasCauseInstanceOf(RpcException.class)
          .cause()
          .satisfies(
              e -> assertThat(((RpcException) e).error()).isSameAs(RpcError.READ_GRANT_INVALID));
    }
    assertThat(verifications.get()).isEqualTo(2);
    assertThat(g.cached()).isZero();
  }

  @Test
  void theCacheIsBoundedLeastRecentlyUsedFirst() throws Exception {
    ReadGrants g = grants(2);
    Params a = grant(NOW + 10);
    Params b = grant(NOW + 20);
    Params c = grant(NOW + 30);
    await(g.authorize(a, 3));
    await(g.authorize(b, 3));
    await(g.authorize(a, 3)); // a used again: b is now the least recent
    assertThat(verifications.get()).isEqualTo(2);
    await(g.authorize(c, 3)); // evicts b
    assertThat(g.cached()).isEqualTo(2);
    await(g.authorize(a, 3));
    assertThat(verifications.get()).isEqualTo(3);
    await(g.authorize(b, 3)); // verified again
    assertThat(verifications.get()).isEqualTo(4);
  }

  @Test
  void aCachedGrantAnswersOnTheCallingThreadAndAFreshOneOnAVerifierThread() throws Exception {
    ReadGrants g = grants(16);
    Params p = grant(NOW + 60);
    java.util.concurrent.CompletableFuture<Long> first = g.authorize(p, 3);
    await(first);
    assertThat(g.authorize(p, 3).isDone()).isTrue();
    assertThatThrownBy(() -> g.authorize(grant(NOW + 70), 4).join())
        .isInstanceOf(RpcException.class);
    assertThat(
            g.authorize(
                    params(
                        4,
                        NOW + 70,
                        new ReadGrantMessage(4, NOW + 70).sign(key, MessageDomain.DEMO)),
                    4)
                .isCompletedExceptionally())
        .as("an account without a key: refused without a verification")
        .isTrue();
    assertThat(verifications.get()).isEqualTo(1);
    assertThatThrownBy(
            () -> new ReadGrants(keys, threads, clock::get, counting, MessageDomain.DEMO, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
