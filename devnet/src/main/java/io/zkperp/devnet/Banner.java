package io.zkperp.devnet;

import io.zkperp.l1.DevAccounts;

/** The text printed once the devnet is up: endpoints and commands to try next. Stateless. */
final class Banner {
  private Banner() {}

  /**
   * The banner.
   *
   * @param d the running devnet
   * @param o its options
   * @return the text, several lines
   */
  static String text(Devnet d, DevnetOptions o) {
    DevnetState s = d.state();
    String rpc = d.rpcUrl();
    String host = rpc.substring("http://".length(), rpc.length() - 1);
    String dir = o.dataDir().toString();
    StringBuilder b = new StringBuilder();
    b.append("\n=== zkperp devnet is up ===\n");
    b.append("  JSON-RPC (HTTP)   ").append(rpc).append('\n');
    b.append("  JSON-RPC (WS)     ws://").append(host).append("/ws\n");
    b.append("  metrics / health  http://").append(host).append("/metrics  /health\n");
    b.append("  L1 RPC (anvil)    ").append(d.l1RpcUrl()).append("  chain id ").append(s.chainId());
    b.append('\n');
    b.append("  rollup            ").append(s.rollup()).append('\n');
    b.append("  verifier          ").append(s.verifier()).append(" (").append(s.shape());
    b.append(" shape; format ").append(s.settlement()).append(")\n");
    b.append("  collateral        ").append(s.collateral()).append(" (TestUSD, 6 decimals)\n");
    b.append("  operator          ")
        .append(DevAccounts.account(Devnet.OPERATOR_ACCOUNT).getAddress())
        .append(" (dev account ")
        .append(Devnet.OPERATOR_ACCOUNT)
        .append(")\n");
    b.append("  data directory    ").append(o.dataDir().toAbsolutePath()).append('\n');
    long paused = d.node().settlementStage().pausedAt();
    if (o.collateralOnly() && paused == 0) {
      b.append("  mode              collateral only: no markets; everything settles on L1\n");
    } else if (o.collateralOnly()) {
      b.append("  mode              collateral only, but this data directory had markets: its")
          .append(" settlement is PAUSED at journal record ")
          .append(paused)
          .append(" (")
          .append(d.node().settlementStage().pauseReason())
          .append("); start with an empty --data-dir for a devnet that settles on L1\n");
    } else {
      b.append("  markets           ").append(o.markets());
      b.append(
          d.marketMakerAccount() > 0
              ? "; market maker is account " + d.marketMakerAccount()
              : "; no market maker");
      b.append('\n');
      b.append('\n').append(o.v3() ? Devnet.v3Notice(o) : Devnet.NOT_PROVEN_NOTICE).append('\n');
    }
    String l1 = d.l1RpcUrl();
    b.append("\nTry next (in another terminal; the whole walkthrough is in devnet/README.md):\n");
    b.append("  ./zk devnet dev-key --dev-account 2 --out wallet.key   # a PUBLIC dev key\n");
    b.append("  ./zk devnet faucet --data-dir ").append(dir);
    b.append(" --to ").append(DevAccounts.account(2).getAddress()).append(" --amount 1000000000\n");
    b.append("  ./zk client onboard --url ").append(rpc);
    b.append(" --private-key-file wallet.key --key-file trader.json\n");
    b.append("  ./zk client deposit --url ").append(rpc).append(" --l1-url ").append(l1);
    b.append(" --private-key-file wallet.key --key-file trader.json --amount 500000000\n");
    b.append("  ./zk client account --url ").append(rpc).append(" --key-file trader.json\n");
    b.append("  ./zk client book --url ").append(rpc).append(" --market 2\n");
    b.append("  curl -s ").append(rpc);
    b.append(
        " -d '{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"perp_getBatch\",\"params\":{\"batch\":1}}'\n");
    b.append("Ctrl-C stops the devnet; the same --data-dir resumes it.");
    return b.toString();
  }
}
