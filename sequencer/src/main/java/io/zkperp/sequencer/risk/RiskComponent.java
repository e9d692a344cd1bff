package io.zkperp.sequencer.risk;

/**
 * A component of the risk engine ({@link Settlement}, {@link Liquidator}, {@link RiskStateCodec})
 * working on the {@link RiskParts} it shares with the others, held as fields so that its code names
 * them directly. Core thread.
 */
abstract class RiskComponent {
  final AccountBook book;
  final RiskMarkets markets;
  final LiquidationIndex index;
  final LiquidationConfig liquidation;
  final RecordSink records;

  RiskComponent(RiskParts parts) {
    this.book = parts.book();
    this.markets = parts.markets();
    this.index = parts.index();
    this.liquidation = parts.liquidation();
    this.records = parts.records();
  }
}
