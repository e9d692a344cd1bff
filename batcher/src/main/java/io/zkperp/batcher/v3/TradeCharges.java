package io.zkperp.batcher.v3;

/**
 * What each side of an executed trade was charged, as the rules computed it: the fee (negative = a
 * rebate paid to the account) and the funding settled over all its positions (negative = paid). The
 * trade step's witness carries both ({@code perp.PartyVars.FeeOut} and {@code FundingSettled});
 * they are not recoverable from the leaves alone. Immutable; any thread.
 *
 * @param buyerFee the buyer's fee
 * @param buyerFundingSettled the funding credited to the buyer
 * @param sellerFee the seller's fee
 * @param sellerFundingSettled the funding credited to the seller
 */
public record TradeCharges(
    long buyerFee, long buyerFundingSettled, long sellerFee, long sellerFundingSettled) {}
