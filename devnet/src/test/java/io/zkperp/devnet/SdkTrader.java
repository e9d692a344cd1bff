package io.zkperp.devnet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.client.Order;
import io.zkperp.client.ZkPerpClient;
import io.zkperp.client.ZkPerpRpcException;
import io.zkperp.client.identity.KeyTypedData;
import io.zkperp.client.identity.WalletOnboarding;
import io.zkperp.client.l1.TraderL1;
import io.zkperp.l1.DevAccounts;
import io.zkperp.l1.L1Session;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.message.OrderMessage;
import io.zkperp.protocol.message.OrderMessage.Side;
import io.zkperp.protocol.state.L1Address;
import java.math.BigInteger;
import java.time.Duration;
import java.util.OptionalInt;
import org.web3j.crypto.Credentials;

/**
 * A trader of a running devnet driven through the SDK, as the devnet tests use one: onboarded from
 * a development wallet's EIP-712 signature ({@link WalletOnboarding}), funded by the devnet's
 * faucet and credited on L2 after an L1 deposit ({@link TraderL1#deposit}). The test's thread.
 *
 * @param wallet the L1 wallet (a development account)
 * @param key the L2 key derived from the wallet's signature
 * @param account the L2 account its first deposit opened
 */
record SdkTrader(Credentials wallet, EdDsaPrivateKey key, int account) {

  /**
   * Onboards a development wallet, mints it {@code amount} on L1 with the devnet's faucet account,
   * deposits it all, and waits until the node has credited it.
   *
   * @param d the devnet
   * @param client the devnet node's client
   * @param devAccount the development account of the wallet
   * @param amount collateral quanta
   * @return the funded trader
   * @throws Exception if a step fails or the credit does not come within 120 s
   */
  static SdkTrader onboardAndDeposit(Devnet d, ZkPerpClient client, int devAccount, long amount)
      throws Exception {
    Credentials wallet = DevAccounts.account(devAccount);
    EdDsaPrivateKey key =
        WalletOnboarding.deriveKey(
            wallet.getEcKeyPair(),
            new KeyTypedData(d.state().chainId(), L1Address.fromHex(d.state().rollup()), 0));
    try (L1Session l1 = L1Session.connect(d.l1RpcUrl())) {
      L1Collateral.faucet(
          l1,
          d.state().deployment(),
          DevAccounts.account(Devnet.FAUCET_ACCOUNT),
          wallet.getAddress(),
          BigInteger.valueOf(amount));
    }
    int account;
    try (TraderL1 trader = l1(d, wallet)) {
      TraderL1.Deposit dep =
          trader.deposit(key.publicKey(), OptionalInt.empty(), amount, 1, Duration.ofSeconds(60));
      assertThat(dep.newAccount()).isTrue();
      account = dep.account();
    }
    DevnetIT.await(
        "the deposit credited on L2",
        () -> {
          try {
            return client.getAccount(key, account).path("collateral").asLong() == amount;
          } catch (ZkPerpRpcException notYet) {
            return false; // the account has no key on L2 until the deposit is credited
          }
        },
        120);
    return new SdkTrader(wallet, key, account);
  }

  /**
   * The wallet's L1 side on the devnet's rollup.
   *
   * @param d the devnet
   * @param wallet the wallet
   * @return a connected {@link TraderL1} (close it)
   * @throws Exception if L1 does not answer
   */
  static TraderL1 l1(Devnet d, Credentials wallet) throws Exception {
    return TraderL1.connect(
        d.l1RpcUrl(),
        wallet,
        L1Address.fromHex(d.state().rollup()),
        Duration.ofMillis(200),
        line -> {});
  }

  /**
   * An IOC limit order that crosses the best level on the other side by {@code through} ticks, sent
   * again (up to 20 times) while it lands between the market maker's cancel and requote and fills
   * nothing.
   *
   * @param client the devnet node's client
   * @param market the market
   * @param side the trader's side
   * @param size the size
   * @param through how far beyond the best opposite price the limit is
   * @return the last {@code perp_placeOrder} answer (its {@code filled} may still be 0)
   * @throws Exception on an RPC failure
   */
  JsonNode crossingIoc(ZkPerpClient client, int market, Side side, long size, long through)
      throws Exception {
    JsonNode placed = null;
    for (int attempt = 0; attempt < 20; attempt++) {
      JsonNode levels = client.getOrderBook(market, 5).path(side == Side.SELL ? "bids" : "asks");
      if (levels.isEmpty()) {
        Thread.sleep(100);
        continue;
      }
      long best = levels.get(0).path("price").asLong();
      long limit = side == Side.SELL ? best - through : best + through;
      placed =
          client.placeOrder(
              key,
              Order.limit(account, market, side, size, limit)
                  .withExecution(OrderMessage.Type.LIMIT, OrderMessage.TimeInForce.IOC, false));
      if (placed.path("filled").asLong() > 0) {
        break;
      }
    }
    assertThat(placed).as("no book on market %d", market).isNotNull();
    return placed;
  }
}
