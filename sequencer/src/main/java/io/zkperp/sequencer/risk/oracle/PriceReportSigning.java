package io.zkperp.sequencer.risk.oracle;

import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.eddsa.EdDsaPublicKey;
import io.zkperp.protocol.eddsa.JavaSignatureVerifier;
import io.zkperp.protocol.eddsa.SignatureVerifier;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.message.OraclePriceMessage;

/**
 * Signs and verifies a {@link PriceReport} through the protocol's one definition of the oracle
 * price message, {@link OraclePriceMessage}. Stateless; any thread.
 */
public final class PriceReportSigning {
  private static final SignatureVerifier JAVA = new JavaSignatureVerifier(16);

  private PriceReportSigning() {}

  /**
   * The signed message of a report.
   *
   * @param report the report
   * @return market, price and timestamp as an {@link OraclePriceMessage}
   */
  public static OraclePriceMessage message(PriceReport report) {
    return new OraclePriceMessage(report.market(), report.price(), report.timestamp());
  }

  /**
   * Signs a price (oracle signers, the demo price feed, tests).
   *
   * @param domain the deployment
   * @param key the signer's private key
   * @param signer the signer's index in the market's signer list
   * @param market the market id
   * @param price the 32.32 price
   * @param timestamp seconds
   * @return the signed report
   */
  public static PriceReport sign(
      MessageDomain domain,
      EdDsaPrivateKey key,
      int signer,
      int market,
      long price,
      long timestamp) {
    byte[] sig = new OraclePriceMessage(market, price, timestamp).sign(key, domain);
    return new PriceReport(market, price, timestamp, signer, sig);
  }

  /**
   * Verifies a report's signature in Java.
   *
   * @param domain the deployment
   * @param key the signer's public key
   * @param report the report
   * @return true iff the signature is well-formed and valid
   */
  public static boolean verify(MessageDomain domain, EdDsaPublicKey key, PriceReport report) {
    return verify(JAVA, domain, key, report);
  }

  /**
   * Verifies a report's signature with a verifier (the intake's: native where available).
   *
   * @param verifier the verifier
   * @param domain the deployment
   * @param key the signer's public key
   * @param report the report
   * @return true iff the signature is well-formed and valid
   */
  public static boolean verify(
      SignatureVerifier verifier, MessageDomain domain, EdDsaPublicKey key, PriceReport report) {
    return message(report).verify(verifier, key, report.signatureUnsafe(), domain);
  }
}
