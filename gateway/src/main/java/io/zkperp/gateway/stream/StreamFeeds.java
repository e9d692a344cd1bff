package io.zkperp.gateway.stream;

import java.util.List;
import java.util.Objects;

/**
 * The feeds behind the WebSocket channels, which {@code perp_subscribe} and {@code
 * perp_unsubscribe} both serve from. Immutable; any thread (each feed says which thread does what).
 *
 * @param book the book and trades channels
 * @param accounts the account and markets channels
 * @param batches the batches channel (the settlement's status changes)
 */
public record StreamFeeds(BookFeed book, AccountFeed accounts, SettlementFeed batches) {
  /**
   * Checks the feeds.
   *
   * @param book see the record
   * @param accounts see the record
   * @param batches see the record
   */
  public StreamFeeds {
    Objects.requireNonNull(book, "book");
    Objects.requireNonNull(accounts, "accounts");
    Objects.requireNonNull(batches, "batches");
  }

  /**
   * Each feed's subscription control: book, accounts, batches.
   *
   * @return the three controls, in that order
   */
  public List<SubscriptionControl> controls() {
    return List.of(book, accounts.subscriptions(), batches.subscriptions());
  }
}
