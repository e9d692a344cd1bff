package io.zkperp.sequencer.command;

/**
 * A command to the sequencer core. Implementations are immutable records; any thread may create and
 * read them.
 */
public sealed interface Command
    permits PlaceOrder,
        CancelOrder,
        CancelReplace,
        CancelAll,
        OraclePrice,
        Tick,
        AddMarket,
        DepositCollateral,
        WithdrawCollateral,
        FundingTick,
        TransferCollateral,
        SignedOraclePrices,
        TopUpInsuranceFund,
        CreditL1Deposit,
        ServeL1ForcedWithdrawal,
        ServeL1ForcedTrade,
        SignedWithdrawCollateral,
        SignedTransferCollateral {}
