/**
 * Per-market central limit order books with price-time priority, behind one interface ({@link
 * io.zkperp.sequencer.book.OrderBook}): {@link io.zkperp.sequencer.book.OptimisedOrderBook} (sorted
 * arrays of price levels, intrusive order lists, pooled levels, no boxing) and {@link
 * io.zkperp.sequencer.book.NaiveOrderBook} (one list per side, re-sorted after each insert), the
 * reference that the optimised book is tested against. Books are confined to the core thread.
 */
package io.zkperp.sequencer.book;
