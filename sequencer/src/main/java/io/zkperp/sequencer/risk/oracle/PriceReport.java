package io.zkperp.sequencer.risk.oracle;

import io.zkperp.protocol.eddsa.EdDsaSignature;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * One signer's signed price for a market. The signature is over the protocol's {@link
 * io.zkperp.protocol.message.OraclePriceMessage} of (market, price, timestamp) in the node's {@link
 * io.zkperp.protocol.message.MessageDomain} ({@link PriceReportSigning}); the signer is named by
 * its index in the market's {@link OracleConfig.MarketOracle#signers()}, so the key is not repeated
 * in every report. The signature bytes are copied in and out. Immutable; any thread.
 *
 * @param market the market id
 * @param price the price, 32.32 fixed point (collateral quanta per synthetic quantum · 2^32)
 * @param timestamp seconds since the Unix epoch, as signed
 * @param signer the signer's index in the market's signer list
 * @param signature the 64-byte EdDSA signature encoding (checked only when the batch is validated)
 */
public record PriceReport(int market, long price, long timestamp, int signer, byte[] signature) {
  /** Copies the signature. */
  public PriceReport {
    signature = signature.clone();
  }

  /**
   * The signature bytes (a copy).
   *
   * @return 64 bytes for a well-formed report
   */
  @Override
  public byte[] signature() {
    return signature.clone();
  }

  byte[] signatureUnsafe() {
    return signature;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PriceReport r
        && market == r.market
        && price == r.price
        && timestamp == r.timestamp
        && signer == r.signer
        && Arrays.equals(signature, r.signature);
  }

  @Override
  public int hashCode() {
    int h = Integer.hashCode(market);
    h = 31 * h + Long.hashCode(price);
    h = 31 * h + Long.hashCode(timestamp);
    h = 31 * h + signer;
    return 31 * h + Arrays.hashCode(signature);
  }

  @Override
  public String toString() {
    return "PriceReport[market="
        + market
        + ", price="
        + price
        + ", timestamp="
        + timestamp
        + ", signer="
        + signer
        + ", signature="
        + (signature.length == EdDsaSignature.ENCODED_BYTES
            ? HexFormat.of().formatHex(signature, 0, 8) + "…"
            : signature.length + " bytes")
        + "]";
  }
}
