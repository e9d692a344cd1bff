package io.zkperp.sequencer.pipeline;

import io.zkperp.protocol.eddsa.EdDsaPublicKey;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Accounts' L2 public keys for signature checks. Implementations must be thread-safe. */
public interface PublicKeyDirectory {
  /**
   * The account's public key. Called concurrently by intake threads.
   *
   * @param account the account id
   * @return the key, or null if the account has none
   */
  EdDsaPublicKey publicKey(int account);

  /**
   * A directory backed by a concurrent map, filled by {@code register}.
   *
   * @return the directory
   */
  static InMemory inMemory() {
    return new InMemory();
  }

  /** A thread-safe in-memory directory. */
  final class InMemory implements PublicKeyDirectory {
    private final Map<Integer, EdDsaPublicKey> keys = new ConcurrentHashMap<>();

    private InMemory() {}

    /**
     * Registers (or replaces) an account's key. Any thread.
     *
     * @param account the account
     * @param key its key
     */
    public void register(int account, EdDsaPublicKey key) {
      keys.put(account, key);
    }

    @Override
    public EdDsaPublicKey publicKey(int account) {
      return keys.get(account);
    }
  }
}
