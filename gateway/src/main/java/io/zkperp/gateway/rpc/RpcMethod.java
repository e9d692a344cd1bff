package io.zkperp.gateway.rpc;

import static io.zkperp.gateway.rpc.ParamSpec.enumeration;
import static io.zkperp.gateway.rpc.ParamSpec.integer;
import static io.zkperp.gateway.rpc.ParamSpec.optionalBoolean;
import static io.zkperp.gateway.rpc.ParamSpec.optionalInteger;
import static io.zkperp.gateway.rpc.ParamSpec.optionalString;
import static io.zkperp.gateway.rpc.ParamSpec.readGrant;
import static io.zkperp.gateway.rpc.ParamSpec.string;

import io.zkperp.sequencer.RejectReason;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The method table: every JSON-RPC method the gateway serves, with its wire name ({@code
 * namespace_method}), parameters, result and errors. The OpenRPC document ({@code rpc.discover}) is
 * generated from this table and the parameters are enforced from it ({@link Params}), so the
 * document cannot drift from the server. A method name that is not in this table answers {@link
 * RpcError#METHOD_NOT_FOUND}. Immutable; any thread.
 */
public enum RpcMethod {
  /** Places a signed order; answered after the sequencer journaled (or rejected) it. */
  PLACE_ORDER(
      "perp_placeOrder",
      "Places an EdDSA-signed order. The response is sent only after the sequencer has applied the"
          + " order and the journal write that makes it durable has been fsynced; a rejection is"
          + " the core's typed error with its precise message.",
      List.of(
          integer("account", "account id, 0 to 2^31-1"),
          integer("market", "market id, 0 to 65535"),
          enumeration("side", true, "order side", List.of("BUY", "SELL")),
          optionalInteger("clientOrderId", "client order id, unsigned 32-bit (default 0)"),
          enumeration(
              "type",
              false,
              "LIMIT (default), or MARKET (price is the worst price)",
              List.of("LIMIT", "MARKET")),
          enumeration(
              "timeInForce",
              false,
              "GTC (default), IOC, FOK or POST_ONLY",
              List.of("GTC", "IOC", "FOK", "POST_ONLY")),
          optionalBoolean("reduceOnly", "only reduce the position (default false)"),
          integer("size", "size in synthetic quanta (signed field)"),
          integer("price", "limit or worst price in quote quanta per synthetic quantum (signed)"),
          integer("feeCap", "highest accepted fee rate, ppm of the notional (signed)"),
          integer("expiry", "good-til time, seconds of the core's clock (signed)"),
          integer("nonce", "order nonce ≥ 1; uses slot nonce mod 2^12 (signed)"),
          enumeration(
              "trigger",
              false,
              "NONE (default), STOP_LOSS or TAKE_PROFIT",
              List.of("NONE", "STOP_LOSS", "TAKE_PROFIT")),
          optionalInteger("triggerPrice", "oracle price that triggers a conditional order"),
          string(
              "signature",
              "0x + 128 hex digits: EdDSA (BN254) signature of the order message H(D_order, e1,"
                  + " e2) in this node's domain (perp_getDomain): every parameter but the"
                  + " signature, packed as docs/state-layout.md §7 (\"Signed messages\") defines")),
      "{orderId, journalSeq, status, filled, remaining, fills[{makerOrderId, price, size}]}",
      true),
  /** Cancels one order by order id or client order id; signed cancel message. */
  CANCEL_ORDER(
      "perp_cancelOrder",
      "Cancels one live order of the account, by orderId or by clientOrderId (exactly one). The"
          + " request is signed: EdDSA over H(D_cancel-order, account (32) ‖ byClientOrderId (8)"
          + " ‖ id (64) ‖ validUntil (64)) in this node's domain (docs/state-layout.md §7),"
          + " verified by the gateway before submission.",
      List.of(
          integer("account", "account id"),
          optionalInteger("orderId", "the order id (or give clientOrderId)"),
          optionalInteger("clientOrderId", "the client order id (or give orderId)"),
          integer(
              "validUntil",
              "unix seconds; must be after the gateway's clock and at most 300 s ahead"),
          string("signature", "0x + 128 hex digits: EdDSA signature of the cancel message")),
      "{journalSeq, cancelled[orderId]}",
      true),
  /** Cancels every live order of the account (in one market or all). */
  CANCEL_ALL(
      "perp_cancelAll",
      "Cancels every live order of the account in one market, or in all markets when market is"
          + " absent. Signed: EdDSA over H(D_cancel-all, account (32) ‖ market (32; all ="
          + " 0xFFFFFFFF) ‖ validUntil (64)) in this node's domain (docs/state-layout.md §7).",
      List.of(
          integer("account", "account id"),
          optionalInteger("market", "market id; absent = every market"),
          integer(
              "validUntil",
              "unix seconds; must be after the gateway's clock and at most 300 s ahead"),
          string("signature", "0x + 128 hex digits: EdDSA signature of the cancel message")),
      "{journalSeq, cancelled[orderId]}",
      true),
  /** Lists the markets. */
  GET_MARKETS(
      "perp_getMarkets",
      "The listed markets and their tick size, step size and minimum size.",
      List.of(),
      "[{market, tickSize, stepSize, minSize}]",
      false),
  /** The aggregated order book of a market. */
  GET_ORDER_BOOK(
      "perp_getOrderBook",
      "Aggregated price levels of a market (bids best first, asks best first) from the gateway's"
          + " read model, with the market's sequence number and the journal sequence it reflects.",
      List.of(
          integer("market", "market id"),
          optionalInteger("depth", "number of levels per side, 1 to 1000 (default 50)")),
      "{market, sequence, journalSeq, bids[{price, size, orders}], asks[{price, size, orders}]}",
      false),
  /** The live orders of an account. */
  GET_OPEN_ORDERS(
      "perp_getOpenOrders",
      "Live orders (resting and conditional) of an account, from the read model. Private: needs"
          + " the account's read grant (auth).",
      List.of(
          integer("account", "account id"),
          optionalInteger("market", "only this market"),
          readGrant(true, "the account's read grant; required (READ_AUTH_REQUIRED without it).")),
      "[{orderId, market, clientOrderId, side, price, size, remaining, nonce, conditional}]",
      false),
  /** The account's highest accepted nonce and a next usable one. */
  GET_NONCES(
      "perp_getNonces",
      "The highest nonce of the account's accepted orders and nextNonce = highest + 1, which the"
          + " nonce window accepts (its slot holds a smaller nonce or nothing). From the read model;"
          + " a client placing orders concurrently should allocate nonces itself from there."
          + " Private (it tells how many orders the account placed): needs the account's read"
          + " grant (auth), which whoever can sign an order can make.",
      List.of(
          integer("account", "account id"),
          readGrant(true, "the account's read grant; required (READ_AUTH_REQUIRED without it).")),
      "{account, highestNonce, nextNonce}",
      false),
  /** The signed-message domain of this deployment. */
  GET_DOMAIN(
      "perp_getDomain",
      "The domain every order, cancel, oracle report and read grant must be signed for (docs/state-layout.md,"
          + " \"Signed messages\"): the signed-message format version, the L1 chain id (decimal"
          + " string) and the rollup contract address (0x and 40 hex digits). A signature made"
          + " for another domain does not verify here. Clients fetch it once and sign with it."
          + " A settling node also gives transactionFormatVersion, the signed-message format of"
          + " perp_withdraw and perp_transfer: 1 (the batcher's format, no domain; a node settling"
          + " format v2 batches) or 2 (WithdrawalMessage / TransferMessage in this domain; a node"
          + " settling format v3 batches). Absent on a node that takes no withdrawals.",
      List.of(),
      "{formatVersion, chainId, rollupAddress, transactionFormatVersion?}",
      false),
  /** An account's collateral, positions and margin figures. */
  GET_ACCOUNT(
      "perp_getAccount",
      "An account's collateral, positions and margin figures, from the read model, which rebuilds"
          + " them from the risk engine's state-change records only. Collateral, costBasis, equity,"
          + " margins and funding amounts are collateral quanta; sizes are synthetic quanta;"
          + " fundingSnapshot is a 32.32 funding index. equity = collateral + pendingFunding + Σ"
          + " floor(size · oraclePrice / 2^32); initialMargin and maintenanceMargin are Σ of the"
          + " risk engine's requirements at the last oracle prices; freeCollateral = equity −"
          + " initialMargin. liquidationPrice (32.32, per position) is the oracle price of that"
          + " market at which the risk engine would liquidate the account (equity < Σ maintenance"
          + " requirements), the other positions held at their oracle prices: for a long the"
          + " highest such price, for a short the lowest (the boundary already liquidates); null"
          + " when no price does. The margin fields are absent when the gateway has no risk"
          + " configuration. An account never seen gives sequence 0, collateral 0 and no"
          + " positions. sequence is the account stream's sequence. The insurance fund is account"
          + " 16777215. Private: needs the account's read grant (auth); the balances and positions"
          + " alone can be rebuilt by anyone from the batches posted on L1.",
      List.of(
          integer("account", "account id, 0 to 2^31-1"),
          readGrant(true, "the account's read grant; required (READ_AUTH_REQUIRED without it).")),
      "{account, sequence, journalSeq, collateral, positions[{market, size, costBasis,"
          + " fundingSnapshot, pendingFunding, liquidationPrice}], equity, initialMargin, maintenanceMargin,"
          + " freeCollateral, pendingFunding}",
      false),
  /** An account's fills, newest first. */
  GET_FILLS(
      "perp_getFills",
      "A page of an account's fills, newest first, from the node's history (every fill, kept in"
          + " RocksDB under <data-dir>/history). Pass the answer's nextCursor as cursor to get the"
          + " next (older) page; nextCursor is null on the last page. fee is what the account paid"
          + " (collateral quanta, negative = rebate), absent without a risk engine. Private:"
          + " needs the account's read grant (auth).",
      List.of(
          integer("account", "account id"),
          readGrant(true, "the account's read grant; required (READ_AUTH_REQUIRED without it)."),
          optionalInteger("market", "only this market"),
          optionalString(
              "cursor",
              "the nextCursor of the previous page (\"<journalSeq>.<index>\"); absent: the newest"),
          optionalInteger("limit", "the most fills, 1 to 1000 (default 100)")),
      "{fills: [{journalSeq, index, market, orderId, side, liquidity, price, size, fee}],"
          + " nextCursor}",
      false),
  /** An account's orders, newest placed first, each with its status. */
  GET_ORDER_HISTORY(
      "perp_getOrderHistory",
      "A page of an account's orders, newest placed first, from the node's history (every order,"
          + " kept in RocksDB under <data-dir>/history): each order once, as it stands (status"
          + " OPEN, or PARKED for a conditional order not yet triggered) or as it ended (status ="
          + " the close reason: FILLED, CANCELLED, REPLACED, EXPIRED, IMMEDIATE_REMAINDER,"
          + " SELF_TRADE, ...), with filled = the size filled so far and lastJournalSeq = the"
          + " record that last changed it; remaining is 0 once closed. Pass nextCursor as cursor"
          + " for the next (older) page; null on the last page. Private: needs the account's read"
          + " grant (auth).",
      List.of(
          integer("account", "account id"),
          readGrant(true, "the account's read grant; required (READ_AUTH_REQUIRED without it)."),
          optionalString(
              "cursor",
              "the nextCursor of the previous page (\"<orderId>.0\"); absent: the newest"),
          optionalInteger("limit", "the most orders, 1 to 1000 (default 100)")),
      "{orders: [{orderId, market, clientOrderId, side, price, size, remaining, nonce,"
          + " conditional, filled, status, lastJournalSeq}], nextCursor}",
      false),
  /** An account's funding payments, newest first. */
  GET_FUNDING_PAYMENTS(
      "perp_getFundingPayments",
      "A page of an account's funding payments, newest first, from the node's history (every"
          + " payment, kept in RocksDB under <data-dir>/history): one entry per position whose"
          + " funding a command settled (the engine settles every position of an account whenever"
          + " a record names it: deposit, withdrawal, transfer, fill, takeover, deleveraging), with"
          + " the market, the position's size, the amount credited (collateral quanta, negative ="
          + " paid), the funding index before (the position's snapshot) and after (32.32), the"
          + " node's time and the command's journal sequence; settlements that round to 0 are not"
          + " listed. Pass nextCursor as cursor for the next (older) page; null on the last page."
          + " Private: needs the account's read grant (auth).",
      List.of(
          integer("account", "account id"),
          readGrant(true, "the account's read grant; required (READ_AUTH_REQUIRED without it)."),
          optionalInteger("market", "only this market (a listed one)"),
          optionalString(
              "cursor",
              "the nextCursor of the previous page (\"<journalSeq>.<index>\"); absent: the newest"),
          optionalInteger("limit", "the most payments, 1 to 1000 (default 100)")),
      "{payments: [{journalSeq, index, market, size, amount, indexBefore, indexAfter, time}],"
          + " nextCursor}",
      false),
  /** An account's collateral changes, newest first. */
  GET_COLLATERAL_HISTORY(
      "perp_getCollateralHistory",
      "A page of an account's collateral changes, newest first, from the node's history (every"
          + " change, kept in RocksDB under <data-dir>/history), as the engine's state-change"
          + " records give them: kind (DEPOSIT, L1_DEPOSIT, WITHDRAWAL, FORCED_WITHDRAWAL,"
          + " TRANSFER_IN, TRANSFER_OUT, INSURANCE_TOP_UP, FUNDING, TRADE = the fill's cash flow"
          + " -(signed size x price), FEE, LIQUIDATION_FEE, INSURANCE_TAKEOVER, DELEVERAGING,"
          + " FORCED_TRADE), amount"
          + " (collateral quanta, negative = debit), balanceAfter (the collateral after it, so the"
          + " changes add up to the collateral), market and counterparty where there is one (else"
          + " null), the node's time and the command's journal sequence and index. Pass nextCursor"
          + " as cursor for the next (older) page; null on the last page. Private: needs the"
          + " account's read grant (auth).",
      List.of(
          integer("account", "account id"),
          readGrant(true, "the account's read grant; required (READ_AUTH_REQUIRED without it)."),
          optionalString(
              "cursor",
              "the nextCursor of the previous page (\"<journalSeq>.<index>\"); absent: the newest"),
          optionalInteger("limit", "the most changes, 1 to 1000 (default 100)")),
      "{changes: [{journalSeq, index, kind, market, counterparty, amount, balanceAfter, time}],"
          + " nextCursor}",
      false),
  /** A market's trades, newest first. */
  GET_TRADES(
      "perp_getTrades",
      "A page of a market's trades, newest first, from the node's history (every trade): the"
          + " command's journal sequence and the trade's index in it (as in the trades stream),"
          + " time (seconds: the node's latest core tick or oracle timestamp when it happened),"
          + " price, size and the taker's side. Pass nextCursor as cursor for the next (older)"
          + " page; null on the last page.",
      List.of(
          integer("market", "market id"),
          optionalString("cursor", "the nextCursor of the previous page; absent: the newest"),
          optionalInteger("limit", "the most trades, 1 to 1000 (default 100)")),
      "{trades: [{journalSeq, index, market, time, price, size, takerSide}], nextCursor}",
      false),
  /** A market's candles, newest first. */
  GET_CANDLES(
      "perp_getCandles",
      "A page of a market's candles of one interval, newest first, whose start (seconds, a"
          + " multiple of the interval) is within [from, to]: open, high, low and close price,"
          + " volume (sum of sizes) and number of trades, built from the market's trades (the"
          + " time of perp_getTrades) as they happen and kept in the node's history. Intervals"
          + " without trades have no candle. Pass nextCursor as cursor for the next (older) page;"
          + " null on the last page.",
      List.of(
          integer("market", "market id"),
          enumeration("interval", true, "the candle interval", List.of("1m", "5m", "1h")),
          optionalInteger("from", "the earliest candle start, seconds (default 0)"),
          optionalInteger("to", "the latest candle start, seconds (default: no limit)"),
          optionalString(
              "cursor", "the nextCursor of the previous page (\"<start>.0\"); absent: the newest"),
          optionalInteger("limit", "the most candles, 1 to 1000 (default 100)")),
      "{candles: [{market, interval, start, open, high, low, close, volume, trades}],"
          + " nextCursor}",
      false),
  /** A market's funding ticks, newest first. */
  GET_FUNDING_HISTORY(
      "perp_getFundingHistory",
      "A page of a market's funding ticks, newest first, from the node's history (every tick):"
          + " the FundingTickApplied record (indexDelta and fundingIndex after, oracle price, all"
          + " 32.32 fixed point) and, for a tick derived from premium samples, its"
          + " FundingTickDerived numbers (intervalSeconds, samples, averagePremiumPpm, ratePpm)."
          + " Pass nextCursor as cursor for the next (older) page; null on the last page.",
      List.of(
          integer("market", "market id"),
          optionalString("cursor", "the nextCursor of the previous page; absent: the newest"),
          optionalInteger("limit", "the most ticks, 1 to 1000 (default 100)")),
      "{ticks: [{journalSeq, market, timestamp, indexDelta, fundingIndex, oraclePrice,"
          + " intervalSeconds, samples, averagePremiumPpm, ratePpm}], nextCursor}",
      false),
  /** Subscribes a WebSocket connection to a market's book (snapshot, then deltas) or trades. */
  SUBSCRIBE(
      "perp_subscribe",
      "WebSocket only. Subscribes to a market's order book: the result is the subscription id;"
          + " then notifications perp_subscription arrive: first type \"snapshot\" (every level,"
          + " with the market's sequence), then type \"delta\" for every accepted command that"
          + " changed the book, with sequence = previous + 1 and the changed levels' new totals"
          + " (size 0 = level removed). A gap in the sequence means the client must resubscribe."
          + " Channel \"trades\": one notification type \"trade\" per fill (sequence = the"
          + " command's journal sequence, index = its position in the command), no snapshot."
          + " Channel \"account\" (param account): type \"snapshot\" (perp_getAccount's fields"
          + " and openOrders) at the account's sequence, then type \"update\" after every command"
          + " that touched the account (orders changed with their status, fills, the account"
          + " after), sequence = previous + 1. Channel \"markets\" (optional market, absent ="
          + " all): type \"snapshot\" (each market's oracle price, funding index and sequence),"
          + " then \"price\" and \"funding\" messages, each with the market's sequence + 1. A gap"
          + " means resubscribe. The account channel is private: it needs the account's read grant"
          + " (auth), and when the grant expires the stream ends with one notification type"
          + " \"end\" (code 5102 READ_GRANT_EXPIRED, validUntil, message); subscribe again with a"
          + " new grant. Channel \"batches\" (settling node; no market, no account): type"
          + " \"snapshot\" (batches: the latest state of the newest 256 batches) with the stream's"
          + " sequence, then type \"update\" for every status change of a batch, in order (SEALED,"
          + " PROVING, PROVEN, COMMITTED with l1TxHash and l1Block, FINAL; or FAILED), each with"
          + " perp_getBatch's fields and sequence = previous + 1; schema in x-notifications. The"
          + " other channels are public.",
      List.of(
          enumeration(
              "channel",
              true,
              "the stream",
              List.of("book", "trades", "account", "markets", "batches")),
          optionalInteger("market", "market id (book, trades: required; markets: optional)"),
          optionalInteger("account", "account id (account: required)"),
          readGrant(
              false,
              "channel account: the account's read grant, required (READ_AUTH_REQUIRED without"
                  + " it); the other channels: not accepted.")),
      "subscription id (integer)",
      false),
  /** Ends a subscription of this connection. */
  UNSUBSCRIBE(
      "perp_unsubscribe",
      "WebSocket only. Ends a subscription of this connection.",
      List.of(integer("subscription", "the subscription id")),
      "true",
      false),
  /** A signed withdrawal to the account's bound L1 owner (settling node only). */
  WITHDRAW(
      "perp_withdraw",
      "Withdraws collateral to the account's L1 owner (bound by its first L1 deposit); the owner"
          + " claims it on L1 once the batch holding it is committed. Signed in the format"
          + " perp_getDomain names (transactionFormatVersion): 1, EdDSA over H(TAG_WITHDRAWAL,"
          + " account, owner, amount, nonce) (docs/batch-format.md §1), on a node settling format"
          + " v2; 2, WithdrawalMessage in this node's domain (docs/state-layout.md §7), on a node"
          + " settling format v3. Answered after the journal write. Settling node only;"
          + " elsewhere SETTLEMENT_NOT_AVAILABLE.",
      List.of(
          integer("account", "account id"),
          integer("amount", "collateral quanta, > 0"),
          integer("nonce", "the account's next transaction nonce (withdrawals and transfers)"),
          string("signature", "0x + 128 hex digits: EdDSA (BN254) signature")),
      "{journalSeq, status: \"accepted\"}",
      true),
  /** A signed transfer of collateral between accounts (settling node only). */
  TRANSFER(
      "perp_transfer",
      "Transfers collateral to another account (both bound by an L1 deposit). Signed in the"
          + " format perp_getDomain names: 1, EdDSA over H(TAG_TRANSFER, from, to, amount, nonce)"
          + " (docs/batch-format.md §1); 2, TransferMessage in this node's domain. Answered after"
          + " the journal write. Settling node only; NOT_IN_BATCH_SHAPE on a node settling format"
          + " v3 whose batch shape has no transfer slot.",
      List.of(
          integer("from", "the sender's account id"),
          integer("to", "the receiver's account id"),
          integer("amount", "collateral quanta, > 0"),
          integer("nonce", "the sender's next transaction nonce"),
          string("signature", "0x + 128 hex digits: EdDSA (BN254) signature")),
      "{journalSeq, status: \"accepted\"}",
      true),
  /** A batch of the settlement and its finality. */
  GET_BATCH(
      "perp_getBatch",
      "A batch of the settlement: the journal records it settles, its size, and where it stands:"
          + " SEALED → PROVING → PROVEN → COMMITTED (L1 transaction and block) → FINAL, or FAILED."
          + " Settling node only.",
      List.of(integer("batch", "batch number ≥ 1")),
      "{batch, status, firstJournalSeq, lastJournalSeq, transactions, priorityOps, l1TxHash,"
          + " l1Block, l1GasUsed?}",
      false),
  /** A page of the settlement's batches, newest first. */
  GET_BATCHES(
      "perp_getBatches",
      "A page of the settlement's batches, newest first: each batch's number, transaction count,"
          + " priority operations, journal range, state roots before and after it (decimal field"
          + " elements, from its commitment input), status (SEALED, PROVING, PROVEN, COMMITTED,"
          + " FINAL or FAILED), the L1 transaction and block once committed (and the gas the"
          + " commit used, where this node sent it), and the wall-clock times (unix ms) at which"
          + " this node saw it reach each status since the node started (absent for transitions"
          + " before the start), with the proof time (PROVING to PROVEN) where both were seen."
          + " format names the batch format (v2, or v3 with its shape, batch time T, priority"
          + " hashes before and after, and records committed). Pass nextCursor as cursor for the"
          + " next (older) page; null on the last page. Settling node only.",
      List.of(
          optionalString(
              "cursor", "the nextCursor of the previous page (a batch number); absent: the newest"),
          optionalInteger("limit", "the most batches, 1 to 100 (default 20)")),
      "{batches: [{batch, status, transactions, priorityOps, firstJournalSeq, lastJournalSeq,"
          + " oldStateRoot, newStateRoot, format, shape?, batchTime?, priorityHashBefore?,"
          + " priorityHashAfter?, records?, l1TxHash?, l1Block?, l1GasUsed?, times{SEALED?, PROVING?,"
          + " PROVEN?, COMMITTED?, FINAL?, FAILED?}, proofMillis?}], nextCursor}",
      false),
  /** How much of a market's open interest would be liquidated in each price band. */
  GET_LIQUIDATION_LADDER(
      "perp_getLiquidationLadder",
      "The venue's open interest of a market that would be liquidated in each price band around"
          + " the current oracle price: every account's position in the market, placed by its"
          + " liquidation price (the rule of perp_getAccount's liquidationPrice: the other"
          + " positions of the account held at their oracle prices). Longs are liquidated below"
          + " the oracle price: band k of longs holds the positions whose liquidation price L is"
          + " in (floor(P·(10^6 − (k+1)·bandPpm)/10^6), floor(P·(10^6 − k·bandPpm)/10^6)], band 0"
          + " also every long already at or above P; shorts above it: band k holds L in"
          + " [ceil(P·(10^6 + k·bandPpm)/10^6), ceil(P·(10^6 + (k+1)·bandPpm)/10^6)), band 0 also"
          + " every short below P (P = the oracle price, 32.32). Sizes are synthetic quanta,"
          + " summed per band; beyond = positions past the last band, never = positions no price"
          + " liquidates. Only sums are given, never an account. Public; from the read model,"
          + " off the order path.",
      List.of(
          integer("market", "market id"),
          optionalInteger("bands", "bands on each side, 1 to 100 (default 10)"),
          optionalInteger(
              "bandPpm", "width of a band, ppm of the oracle price, 1 to 1000000 (default 10000)")),
      "{market, oraclePrice, journalSeq, bandPpm, longs: {bands[{from, to, size}], beyond,"
          + " never}, shorts: {bands[{from, to, size}], beyond, never}}",
      false),
  /** Where a journaled command (an order, a fill's command, a withdrawal) stands in settlement. */
  GET_SETTLEMENT(
      "perp_getSettlement",
      "Finality of a journaled command by its journalSeq (the journalSeq every command answer and"
          + " every fill carries): accepted (journaled, not in a sealed batch yet), or in batch n"
          + " with the batch's status (SEALED, PROVING, PROVEN, COMMITTED with L1 transaction and"
          + " block, FINAL); \"paused\" when the settlement stopped at or before it (a record the"
          + " circuit cannot prove yet). Settling node only.",
      List.of(integer("journalSeq", "journal sequence ≥ 1")),
      "{journalSeq, status, batch?, l1TxHash?, l1Block?, reason?}",
      false),
  /** An account's Merkle proof against the state root last verified on L1, for the escape hatch. */
  GET_ESCAPE_PROOF(
      "perp_getEscapeProof",
      "The argument of the rollup contract's escape(EscapeProof) for an account: its leaf fields"
          + " and 24 sibling hashes in the accounts tree, the markets root and the global leaf, in"
          + " the state of the last batch committed (verified) on L1, with that batch number and"
          + " its state root. Field elements and the uint256 fields are decimal strings. Public,"
          + " no read grant: the verified state can be rebuilt by anyone from the data posted on"
          + " L1, and the contract pays the leaf's l1Owner whoever submits the proof. On a format v2"
          + " node (ZkPerpRollup) an account holding positions cannot escape (the contract takes"
          + " collateral-only accounts). On a format v3 node the result has \"format\": \"v3\""
          + " and is the argument of ZkPerpRollupV3.escape (EscapeV2.Proof): the account leaf with"
          + " its packed positions and their funding snapshots, and one market leaf proof per held"
          + " market, with the positions unpacked and owed (what the contract owes: collateral +"
          + " funding + each position's value at the proven oracle price, 0 if negative)."
          + " Settling node only.",
      List.of(integer("account", "account id, 1 to 2^24-1")),
      "{account, batch, stateRoot, proof: {accountId, publicKeyX, publicKeyY, l1Owner, nonce,"
          + " collateral, fillsRoot, accountSiblings[24], marketsRoot, globalLeaf}} or, on a format"
          + " v3 node, {format: v3, account, batch, stateRoot, owed, positions[{market, size,"
          + " fundingSnapshot}], proof: {account: {accountId, identity{publicKeyX, publicKeyY,"
          + " l1Owner, feeTier}, nonce, collateral, fillsRoot, positions[4], accountSiblings[24],"
          + " marketsRoot, globalLeaf}, markets[{marketId, market{oraclePrice, oracleTimestamp,"
          + " fundingIndex, fundingTimestamp, openInterest, riskHash}, siblings[6]}]}}",
      false),
  /** The OpenRPC document of this table. */
  DISCOVER("rpc.discover", "This server's OpenRPC 1.2 document.", List.of(), "OpenRPC", false);

  private static final Map<String, RpcMethod> BY_NAME =
      Arrays.stream(values()).collect(Collectors.toMap(RpcMethod::wireName, Function.identity()));

  private final String wireName;
  private final String description;
  private final List<ParamSpec> params;
  private final String result;
  private final boolean command;

  RpcMethod(
      String wireName, String description, List<ParamSpec> params, String result, boolean command) {
    this.wireName = wireName;
    this.description = description;
    this.params = params;
    this.result = result;
    this.command = command;
  }

  /**
   * The method by wire name.
   *
   * @param name the request's method member
   * @return the method, or empty if none has that name
   */
  public static Optional<RpcMethod> byName(String name) {
    return Optional.ofNullable(BY_NAME.get(name));
  }

  /**
   * The wire name.
   *
   * @return e.g. {@code perp_placeOrder}
   */
  public String wireName() {
    return wireName;
  }

  /**
   * What the method does.
   *
   * @return the description
   */
  public String description() {
    return description;
  }

  /**
   * The named parameters.
   *
   * @return the parameter specs, in documentation order
   */
  public List<ParamSpec> params() {
    return params;
  }

  /**
   * The shape of the result, informally.
   *
   * @return the result description
   */
  public String result() {
    return result;
  }

  /**
   * Whether the method submits a command to the sequencer (and so can fail with the core's
   * rejections, OVERLOADED, TIMEOUT and SHUTTING_DOWN).
   *
   * @return true for commands
   */
  public boolean isCommand() {
    return command;
  }

  /**
   * The application errors this method can return, for the OpenRPC document.
   *
   * @return the errors
   */
  public Set<RpcError> errors() {
    Set<RpcError> e =
        new LinkedHashSet<>(
            List.of(RpcError.INVALID_PARAMS, RpcError.INTERNAL_ERROR, RpcError.RATE_LIMITED));
    switch (this) {
      case PLACE_ORDER -> {
        for (RpcError r : RpcError.values()) {
          if (r.code() >= 1000 && r.code() < 5000) {
            e.add(r);
          }
        }
      }
      case CANCEL_ORDER, CANCEL_ALL -> {
        e.add(RpcError.of(RejectReason.UNKNOWN_ORDER));
        e.add(RpcError.of(RejectReason.BAD_SIGNATURE));
        e.add(RpcError.of(RejectReason.UNKNOWN_ACCOUNT));
        e.add(RpcError.of(RejectReason.FIELD_OUT_OF_RANGE));
        e.add(RpcError.CANCEL_VALIDITY_OUT_OF_WINDOW);
      }
      case GET_ORDER_BOOK, GET_FUNDING_HISTORY, GET_TRADES, GET_CANDLES, GET_LIQUIDATION_LADDER ->
          e.add(RpcError.of(RejectReason.UNKNOWN_MARKET));
      case GET_OPEN_ORDERS,
          GET_NONCES,
          GET_ACCOUNT,
          GET_FILLS,
          GET_ORDER_HISTORY,
          GET_COLLATERAL_HISTORY ->
          readGrantErrors(e);
      case GET_FUNDING_PAYMENTS -> {
        readGrantErrors(e);
        e.add(RpcError.of(RejectReason.UNKNOWN_MARKET));
      }
      case SUBSCRIBE -> {
        readGrantErrors(e);
        e.add(RpcError.of(RejectReason.UNKNOWN_MARKET));
        e.add(RpcError.WEBSOCKET_REQUIRED);
        e.add(RpcError.TOO_MANY_SUBSCRIPTIONS);
      }
      case UNSUBSCRIBE -> {
        e.add(RpcError.UNKNOWN_SUBSCRIPTION);
        e.add(RpcError.WEBSOCKET_REQUIRED);
      }
      case WITHDRAW, TRANSFER -> {
        e.add(RpcError.of(RejectReason.UNKNOWN_ACCOUNT));
        e.add(RpcError.of(RejectReason.BAD_SIGNATURE));
        e.add(RpcError.WRONG_TRANSACTION_NONCE);
        e.add(RpcError.of(RejectReason.INSUFFICIENT_FREE_COLLATERAL));
        e.add(RpcError.of(RejectReason.COLLATERAL_REJECTED));
        e.add(RpcError.of(RejectReason.FIELD_OUT_OF_RANGE));
        e.add(RpcError.SETTLEMENT_NOT_AVAILABLE);
      }
      case GET_BATCH -> {
        e.add(RpcError.BATCH_NOT_FOUND);
        e.add(RpcError.SETTLEMENT_NOT_AVAILABLE);
      }
      case GET_SETTLEMENT, GET_BATCHES -> e.add(RpcError.SETTLEMENT_NOT_AVAILABLE);
      case GET_ESCAPE_PROOF -> {
        e.add(RpcError.NOT_IN_VERIFIED_STATE);
        e.add(RpcError.ESCAPE_UNSUPPORTED);
        e.add(RpcError.SETTLEMENT_NOT_AVAILABLE);
      }
      default -> {}
    }
    if (command) {
      e.add(RpcError.OVERLOADED);
      e.add(RpcError.TIMEOUT);
      e.add(RpcError.SHUTTING_DOWN);
    }
    return e;
  }

  private static void readGrantErrors(Set<RpcError> e) {
    e.add(RpcError.READ_AUTH_REQUIRED);
    e.add(RpcError.READ_GRANT_EXPIRED);
    e.add(RpcError.READ_GRANT_WRONG_ACCOUNT);
    e.add(RpcError.READ_GRANT_INVALID);
  }
}
