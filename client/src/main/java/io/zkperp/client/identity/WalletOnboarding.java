package io.zkperp.client.identity;

import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.encoding.InvalidEncodingException;
import io.zkperp.protocol.identity.L2KeyDerivation;
import io.zkperp.protocol.identity.WalletSignature;
import io.zkperp.protocol.state.L1Address;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import org.web3j.crypto.ECDSASignature;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;

/**
 * Onboarding from an Ethereum wallet: signs the {@link KeyTypedData} with a local wallet key (as
 * {@code cast wallet sign --data} or {@code eth_signTypedData_v4} would), or takes a signature made
 * elsewhere and checks that it recovers to the expected wallet address, then derives the L2 key
 * with {@link L2KeyDerivation}.
 *
 * <p>Stateless; any thread.
 */
public final class WalletOnboarding {
  private WalletOnboarding() {}

  /**
   * Signs the typed data with a wallet key (RFC 6979 nonce: the same key and data always give the
   * same signature).
   *
   * @param wallet the wallet's secp256k1 key pair
   * @param data the typed data
   * @return r ‖ s ‖ v (65 bytes, v = 27 or 28, s ≤ n/2)
   */
  public static byte[] sign(ECKeyPair wallet, KeyTypedData data) {
    Sign.SignatureData sig;
    try {
      sig = Sign.signTypedData(data.json(), wallet);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] out = new byte[WalletSignature.BYTES];
    System.arraycopy(sig.getR(), 0, out, 0, 32);
    System.arraycopy(sig.getS(), 0, out, 32, 32);
    out[64] = sig.getV()[0];
    return out;
  }

  /**
   * The wallet address that signed the typed data.
   *
   * @param data the typed data
   * @param signature r ‖ s ‖ v
   * @return the recovered address
   * @throws InvalidWalletSignatureException if the signature is malformed or recovers no key
   */
  public static L1Address signer(KeyTypedData data, byte[] signature) {
    WalletSignature ws = parse(signature);
    BigInteger publicKey =
        Sign.recoverFromSignature(ws.recoveryId(), new ECDSASignature(ws.r(), ws.s()), data.hash());
    if (publicKey == null) {
      throw new InvalidWalletSignatureException("the signature recovers no public key");
    }
    return L1Address.fromHex("0x" + Keys.getAddress(publicKey));
  }

  /**
   * The 32-byte seed of the L2 key ({@link L2KeyDerivation#seed}) of a signature of the typed data,
   * after checking that {@code wallet} signed it (a signature of other data, or by another wallet,
   * would derive a key nobody can make again).
   *
   * @param data the typed data that was signed
   * @param signature r ‖ s ‖ v
   * @param wallet the address expected to have signed
   * @return the seed (secret: never log it); {@code EdDsaPrivateKey.fromSeed} gives the key
   * @throws InvalidWalletSignatureException if the signature is malformed or not {@code wallet}'s
   *     signature of {@code data}
   */
  public static byte[] deriveSeed(KeyTypedData data, byte[] signature, L1Address wallet) {
    L1Address recovered = signer(data, signature);
    if (!recovered.equals(wallet)) {
      throw new InvalidWalletSignatureException(
          "the signature is by "
              + recovered.toHex()
              + ", not by "
              + wallet.toHex()
              + " (or it signs other typed data: check the chain id, rollup and key index)");
    }
    return L2KeyDerivation.seed(parse(signature));
  }

  /**
   * The L2 key of a signature of the typed data by {@code wallet} ({@link #deriveSeed}).
   *
   * @param data the typed data that was signed
   * @param signature r ‖ s ‖ v
   * @param wallet the address expected to have signed
   * @return the L2 key
   * @throws InvalidWalletSignatureException as {@link #deriveSeed}
   */
  public static EdDsaPrivateKey deriveKey(KeyTypedData data, byte[] signature, L1Address wallet) {
    return EdDsaPrivateKey.fromSeed(deriveSeed(data, signature, wallet));
  }

  /**
   * Signs with a local wallet key and returns the L2 key's seed.
   *
   * @param wallet the wallet's key pair
   * @param data the typed data
   * @return the seed (secret)
   */
  public static byte[] deriveSeed(ECKeyPair wallet, KeyTypedData data) {
    return L2KeyDerivation.seed(parse(sign(wallet, data)));
  }

  /**
   * Signs with a local wallet key and derives the L2 key.
   *
   * @param wallet the wallet's key pair
   * @param data the typed data
   * @return the L2 key
   */
  public static EdDsaPrivateKey deriveKey(ECKeyPair wallet, KeyTypedData data) {
    return EdDsaPrivateKey.fromSeed(deriveSeed(wallet, data));
  }

  private static WalletSignature parse(byte[] signature) {
    try {
      return WalletSignature.parse(signature);
    } catch (InvalidEncodingException e) {
      throw new InvalidWalletSignatureException(e.getMessage());
    }
  }
}
