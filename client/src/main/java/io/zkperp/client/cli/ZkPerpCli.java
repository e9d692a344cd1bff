package io.zkperp.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zkperp.client.Order;
import io.zkperp.client.SettlementFailedException;
import io.zkperp.client.SettlementPausedException;
import io.zkperp.client.ZkPerpClient;
import io.zkperp.client.ZkPerpRpcException;
import io.zkperp.client.identity.L2KeyFile;
import io.zkperp.client.l1.L1RevertedException;
import io.zkperp.client.l1.L1UnreachableException;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.encoding.InvalidEncodingException;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.message.OrderMessage.Side;
import io.zkperp.protocol.message.OrderMessage.TimeInForce;
import io.zkperp.protocol.message.OrderMessage.Type;
import io.zkperp.protocol.state.L1Address;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The command-line trader client ({@code ./zk client …}): one subcommand per gateway method, JSON
 * results on stdout. A JSON-RPC error prints {@code error CODE NAME: message} on stderr and exits
 * with {@link #EXIT_RPC_ERROR}; a transport failure exits with {@link #EXIT_TRANSPORT}; a usage
 * error with 2 (picocli); an L1 refusal with {@link #EXIT_L1_REVERTED}; a wait that timed out with
 * {@link #EXIT_WAIT_FAILED}. The wallet and L1 commands are {@link OnboardCommand} and the others
 * named in {@link L1Options}. Keys: {@code --demo-account N} (the demo node's well-known key of
 * account N, seed = 32 bytes of N + 1) or {@code --key-seed-hex HEX --account N}; the account read
 * commands ({@code nonces}, {@code open-orders}, {@code account}, {@code fills}) sign a read grant
 * with it, since an account's data is private. Each run on one thread.
 */
@Command(
    name = "zk client",
    mixinStandardHelpOptions = true,
    scope = CommandLine.ScopeType.INHERIT,
    versionProvider = ZkPerpCli.Version.class,
    description = "zkperp trader client: JSON-RPC calls to a gateway, orders signed locally.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:the gateway answered a JSON-RPC error (printed as 'error CODE NAME: message')",
      "2:usage error (unknown or missing option, bad value)",
      "3:transport failure (no answer from the node or the L1 node, or not JSON-RPC)",
      "4:an L1 contract refused the call (printed as 'error: deposit reverted: Name(args)');"
          + " nothing was sent",
      "5:timed out waiting (L1 confirmations, the L2 credit, a batch on L1), the batch FAILED, or"
          + " the node's settlement is paused before it"
    },
    subcommands = {
      CommandLine.HelpCommand.class,
      ZkPerpCli.Markets.class,
      ZkPerpCli.Book.class,
      ZkPerpCli.Nonces.class,
      ZkPerpCli.OpenOrders.class,
      ZkPerpCli.AccountCmd.class,
      ZkPerpCli.Fills.class,
      ZkPerpCli.FundingPayments.class,
      ZkPerpCli.CollateralHistory.class,
      ZkPerpCli.Grant.class,
      ZkPerpCli.PlaceOrderCmd.class,
      ZkPerpCli.Cancel.class,
      ZkPerpCli.CancelAllCmd.class,
      OnboardCommand.class,
      DepositCommand.class,
      WithdrawCommand.class,
      SettlementCommand.class,
      ForcedWithdrawalCommand.class,
      ClaimCommand.class,
      L1BalanceCommand.class,
      FreezeCommand.class,
      EscapeCommand.class
    })
public final class ZkPerpCli implements Callable<Integer> {
  /** Exit code of a JSON-RPC error answered by the gateway. */
  public static final int EXIT_RPC_ERROR = 1;

  /** Exit code of a transport failure (no answer, or not JSON-RPC). */
  public static final int EXIT_TRANSPORT = 3;

  /** Exit code of an L1 call that a contract refused (simulated first: nothing was sent). */
  public static final int EXIT_L1_REVERTED = 4;

  /** Exit code of a wait that timed out, of a batch that FAILED, or of a paused settlement. */
  public static final int EXIT_WAIT_FAILED = 5;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Spec CommandLine.Model.CommandSpec spec;

  /** The command; picocli builds it. */
  public ZkPerpCli() {}

  /**
   * Runs the client and exits with its exit code.
   *
   * @param args the arguments
   */
  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /**
   * Runs the client with the given output streams (tests). Calling thread.
   *
   * @param args the arguments
   * @param out where results go
   * @param err where errors go
   * @return the exit code: 0, {@link #EXIT_RPC_ERROR}, 2 (usage) or {@link #EXIT_TRANSPORT}
   */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new ZkPerpCli());
    cl.setOut(out);
    cl.setErr(err);
    cl.setCaseInsensitiveEnumValuesAllowed(false);
    cl.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          if (e instanceof ZkPerpRpcException r) {
            err.println("error " + r.describe());
            err.flush();
            return EXIT_RPC_ERROR;
          }
          if (e instanceof L1RevertedException r) {
            err.println("error: " + r.getMessage());
            err.flush();
            return EXIT_L1_REVERTED;
          }
          if (e instanceof TimeoutException
              || e instanceof SettlementFailedException
              || e instanceof SettlementPausedException) {
            err.println("error: " + e.getMessage());
            err.flush();
            return EXIT_WAIT_FAILED;
          }
          if (e instanceof IllegalArgumentException) {
            err.println("error: " + e.getMessage());
            err.flush();
            return 2;
          }
          if (e instanceof L1UnreachableException) {
            err.println("error: " + e.getMessage());
            err.flush();
            return EXIT_TRANSPORT;
          }
          if (e instanceof IOException) {
            String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            err.println(
                "error: " + why + " at " + url(parseResult) + " (is the node running? ./zk node)");
            err.flush();
            return EXIT_TRANSPORT;
          }
          throw e;
        });
    int code = cl.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  private static String url(CommandLine.ParseResult parseResult) {
    CommandLine.ParseResult sub = parseResult;
    while (sub.subcommand() != null) {
      sub = sub.subcommand();
    }
    return String.valueOf(sub.matchedOptionValue("--url", ZkPerpClient.DEFAULT_URL));
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 2;
  }

  /**
   * The client's version: the jar's Implementation-Version, or the build's when run from classes.
   */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = ZkPerpCli.class.getPackage().getImplementationVersion();
      return new String[] {"zkperp client " + (v != null ? v : "0.1.0-SNAPSHOT")};
    }
  }

  /** {@code --url}, shared by every subcommand. */
  static final class Connection {
    @Option(
        names = "--url",
        defaultValue = "http://127.0.0.1:8545/",
        description = "gateway JSON-RPC URL (default: ${DEFAULT-VALUE})")
    URI url;

    @Option(
        names = "--chain-id",
        description =
            "sign for this L1 chain id instead of the node's (perp_getDomain); with"
                + " --rollup-address")
    Long chainId;

    @Option(
        names = "--rollup-address",
        description =
            "sign for this rollup contract address (0x and 40 hex digits) instead of the node's;"
                + " with --chain-id")
    String rollupAddress;

    ZkPerpClient client() {
      if (chainId == null && rollupAddress == null) {
        return new ZkPerpClient(url); // the domain comes from the node
      }
      if (chainId == null || rollupAddress == null) {
        throw new IllegalArgumentException(
            "give both --chain-id and --rollup-address, or neither (then the node's domain is"
                + " used)");
      }
      L1Address rollup;
      try {
        rollup = L1Address.fromHex(rollupAddress);
      } catch (InvalidEncodingException e) {
        throw new IllegalArgumentException(
            "--rollup-address must be 0x and 40 hex digits: " + rollupAddress);
      }
      return new ZkPerpClient(
          url, () -> System.currentTimeMillis() / 1000, MessageDomain.of(chainId, rollup));
    }
  }

  /** Who signs: a demo account, a seed and an account, or a key file. */
  static final class Signer {
    @Option(
        names = "--demo-account",
        required = true,
        description = "demo account N: its well-known demo key (seed = 32 bytes of N+1)")
    Integer demoAccount;

    @ArgGroup(exclusive = false)
    SeedKey seed;

    @Option(
        names = "--key-file",
        required = true,
        description = "the key file of onboard (its key and account, once a deposit bound one)")
    Path keyFile;

    int account() {
      if (keyFile != null) {
        return keyFile()
            .account()
            .orElseThrow(
                () -> new IllegalArgumentException(keyFile + " has no account yet: deposit first"));
      }
      return demoAccount != null ? demoAccount : seed.account;
    }

    private L2KeyFile keyFile() {
      try {
        return L2KeyFile.read(keyFile);
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read " + keyFile + ": " + e.getMessage(), e);
      }
    }

    EdDsaPrivateKey key() {
      if (keyFile != null) {
        return keyFile().key();
      }
      if (demoAccount != null) {
        return ZkPerpClient.demoKey(demoAccount);
      }
      byte[] bytes =
          HexFormat.of().parseHex(seed.hex.startsWith("0x") ? seed.hex.substring(2) : seed.hex);
      if (bytes.length != 32) {
        throw new IllegalArgumentException("--key-seed-hex must be 32 bytes (64 hex digits)");
      }
      return EdDsaPrivateKey.fromSeed(bytes);
    }
  }

  /** {@code --key-seed-hex HEX --account N}. */
  static final class SeedKey {
    @Option(names = "--key-seed-hex", required = true, description = "32-byte key seed, hex")
    String hex;

    @Option(names = "--account", required = true, description = "the account the key signs for")
    int account;
  }

  static void print(PrintWriter out, JsonNode result) throws IOException {
    out.println(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(result));
  }

  /** {@code markets}. */
  @Command(name = "markets", description = "perp_getMarkets: the listed markets")
  static final class Markets implements Callable<Integer> {
    @Mixin Connection conn;
    @Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      print(spec.commandLine().getOut(), conn.client().getMarkets());
      return 0;
    }
  }

  /** {@code book}. */
  @Command(name = "book", description = "perp_getOrderBook: a market's book")
  static final class Book implements Callable<Integer> {
    @Mixin Connection conn;
    @Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--market", required = true, description = "market id")
    int market;

    @Option(names = "--depth", defaultValue = "50", description = "levels per side (1-1000)")
    int depth;

    @Override
    public Integer call() throws Exception {
      print(spec.commandLine().getOut(), conn.client().getOrderBook(market, depth));
      return 0;
    }
  }

  /**
   * A read command about one account's private data: prints the result of one query, made with a
   * read grant that the account's key signs ({@code --demo-account N}, or {@code --key-seed-hex HEX
   * --account N}).
   */
  abstract static class AccountQuery implements Callable<Integer> {
    @Mixin Connection conn;
    @Spec CommandLine.Model.CommandSpec spec;

    @ArgGroup(multiplicity = "1")
    Signer signer;

    abstract JsonNode query(ZkPerpClient client, EdDsaPrivateKey key, int account) throws Exception;

    @Override
    public Integer call() throws Exception {
      print(spec.commandLine().getOut(), query(conn.client(), signer.key(), signer.account()));
      return 0;
    }
  }

  /** {@code nonces}. */
  @Command(
      name = "nonces",
      description = "perp_getNonces: an account's highest and next nonce (signs a read grant)")
  static final class Nonces extends AccountQuery {
    @Override
    JsonNode query(ZkPerpClient client, EdDsaPrivateKey key, int account) throws Exception {
      return client.getNonces(key, account);
    }
  }

  /** {@code open-orders}. */
  @Command(
      name = "open-orders",
      description = "perp_getOpenOrders: an account's open orders (signs a read grant)")
  static final class OpenOrders extends AccountQuery {
    @Override
    JsonNode query(ZkPerpClient client, EdDsaPrivateKey key, int account) throws Exception {
      return client.getOpenOrders(key, account);
    }
  }

  /** {@code account}. */
  @Command(
      name = "account",
      description =
          "perp_getAccount: an account's collateral, positions and margin (signs a read grant)")
  static final class AccountCmd extends AccountQuery {
    @Override
    JsonNode query(ZkPerpClient client, EdDsaPrivateKey key, int account) throws Exception {
      return client.getAccount(key, account);
    }
  }

  /** {@code fills}. */
  @Command(
      name = "fills",
      description = "perp_getFills: an account's fills, newest first (signs a read grant)")
  static final class Fills extends AccountQuery {
    @Option(names = "--limit", description = "at most this many, 1 to 1000 (default 20)")
    int limit = 20;

    @Override
    JsonNode query(ZkPerpClient client, EdDsaPrivateKey key, int account) throws Exception {
      return client.getFills(key, account, limit);
    }
  }

  /** The paging options of the history queries. */
  static final class PageOptions {
    @Option(names = "--cursor", description = "the nextCursor of the previous page")
    String cursor;

    @Option(names = "--limit", description = "at most this many, 1 to 1000 (default 20)")
    int limit = 20;
  }

  /** {@code funding-payments}. */
  @Command(
      name = "funding-payments",
      description =
          "perp_getFundingPayments: an account's funding payments per position, newest first"
              + " (signs a read grant)")
  static final class FundingPayments extends AccountQuery {
    @Option(names = "--market", description = "only this market")
    Integer market;

    @Mixin PageOptions page;

    @Override
    JsonNode query(ZkPerpClient client, EdDsaPrivateKey key, int account) throws Exception {
      return client.getFundingPayments(key, account, market, page.cursor, page.limit);
    }
  }

  /** {@code collateral-history}. */
  @Command(
      name = "collateral-history",
      description =
          "perp_getCollateralHistory: an account's collateral changes with the balance after each,"
              + " newest first (signs a read grant)")
  static final class CollateralHistory extends AccountQuery {
    @Mixin PageOptions page;

    @Override
    JsonNode query(ZkPerpClient client, EdDsaPrivateKey key, int account) throws Exception {
      return client.getCollateralHistory(key, account, page.cursor, page.limit);
    }
  }

  /**
   * {@code grant}: signs a read grant and prints it as one line of JSON, for the dashboard's trader
   * view (paste it there) or any other reader. The key stays here; the grant only reads.
   */
  @Command(
      name = "grant",
      description =
          "sign a read grant (the auth object of the private reads) and print it as one line of"
              + " JSON, for the dashboard's trader view; valid for 1 hour, a bearer token for"
              + " reading the account")
  static final class Grant extends AccountQuery {
    @Override
    JsonNode query(ZkPerpClient client, EdDsaPrivateKey key, int account) throws Exception {
      return client.readGrant(key, account);
    }

    @Override
    public Integer call() throws Exception {
      JsonNode g = query(conn.client(), signer.key(), signer.account());
      spec.commandLine().getOut().println(MAPPER.writeValueAsString(g));
      return 0;
    }
  }

  /** {@code place-order}. */
  @Command(name = "place-order", description = "perp_placeOrder: sign and place an order")
  static final class PlaceOrderCmd implements Callable<Integer> {
    @Mixin Connection conn;
    @Spec CommandLine.Model.CommandSpec spec;

    @ArgGroup(multiplicity = "1")
    Signer signer;

    @Option(names = "--market", required = true, description = "market id")
    int market;

    @Option(names = "--side", required = true, description = "BUY or SELL")
    Side side;

    @Option(names = "--size", required = true, description = "size in synthetic quanta")
    long size;

    @Option(
        names = "--price",
        required = true,
        description = "limit price (worst price for MARKET)")
    long price;

    @Option(names = "--nonce", description = "nonce (default: next nonce from perp_getNonces)")
    Long nonce;

    @Option(names = "--client-order-id", description = "client order id, u32 (default: the nonce)")
    Long clientOrderId;

    @Option(
        names = "--fee-cap",
        defaultValue = "1000",
        description = "signed fee cap, ppm of notional (default: ${DEFAULT-VALUE})")
    long feeCap;

    @Option(
        names = "--expiry",
        defaultValue = "0",
        description = "good-til unix time (default: now + 30 days)")
    long expiry;

    @Option(names = "--type", defaultValue = "LIMIT", description = "LIMIT or MARKET")
    Type type;

    @Option(names = "--tif", defaultValue = "GTC", description = "GTC, IOC, FOK or POST_ONLY")
    TimeInForce tif;

    @Option(names = "--reduce-only", description = "reduce-only (IOC or FOK)")
    boolean reduceOnly;

    @Override
    public Integer call() throws Exception {
      Order o =
          Order.limit(signer.account(), market, side, size, price)
              .withFeeCap(feeCap)
              .withExpiry(expiry)
              .withExecution(type, tif, reduceOnly);
      if (nonce != null) {
        o = o.withNonce(nonce);
      }
      if (clientOrderId != null) {
        if (clientOrderId < 0 || clientOrderId > 0xFFFF_FFFFL) {
          throw new IllegalArgumentException(
              "--client-order-id must be 0 to 4294967295 (u32): " + clientOrderId);
        }
        o = o.withClientOrderId((int) (long) clientOrderId);
      }
      print(spec.commandLine().getOut(), conn.client().placeOrder(signer.key(), o));
      return 0;
    }
  }

  /** {@code cancel}. */
  @Command(name = "cancel", description = "perp_cancelOrder: sign and cancel one order by id")
  static final class Cancel implements Callable<Integer> {
    @Mixin Connection conn;
    @Spec CommandLine.Model.CommandSpec spec;

    @ArgGroup(multiplicity = "1")
    Signer signer;

    @Option(names = "--order-id", required = true, description = "the order id")
    long orderId;

    @Override
    public Integer call() throws Exception {
      print(
          spec.commandLine().getOut(),
          conn.client().cancelOrder(signer.key(), signer.account(), orderId));
      return 0;
    }
  }

  /** {@code cancel-all}. */
  @Command(name = "cancel-all", description = "perp_cancelAll: sign and cancel every order")
  static final class CancelAllCmd implements Callable<Integer> {
    @Mixin Connection conn;
    @Spec CommandLine.Model.CommandSpec spec;

    @ArgGroup(multiplicity = "1")
    Signer signer;

    @Option(names = "--market", description = "only this market (default: every market)")
    Integer market;

    @Override
    public Integer call() throws Exception {
      print(
          spec.commandLine().getOut(),
          conn.client().cancelAll(signer.key(), signer.account(), market));
      return 0;
    }
  }
}
