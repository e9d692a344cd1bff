package io.zkperp.l1;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameterName;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Deploys the L1 side of zkperp ({@link RollupDeployer}: TestUSD or a given ERC-20, the shape's
 * verifier, the rollup) and writes the addresses to a file of {@code KEY=value} lines that a shell
 * can source and {@link Properties} can read ({@code ROLLUP}, {@code VERIFIER}, {@code COLLATERAL},
 * {@code SHAPE}, {@code CHAIN_ID}, {@code START_BLOCK}, {@code L1_RPC}). The one-shot deployer of
 * {@code deploy/docker-compose.yml}. If the file already names a rollup that has code on the chain,
 * nothing is deployed (a restarted stack keeps its contracts). Exit codes: 0 deployed or already
 * deployed, 1 the deployment failed or L1 was not reachable in time, 2 a bad option. Main thread.
 */
@Command(
    name = "deploy",
    mixinStandardHelpOptions = true,
    version = "zkperp deployer",
    sortOptions = false,
    description =
        "Deploys the zkperp contracts to an L1 node and writes their addresses to a file.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:deployed, or the file's rollup already has code",
      "1:the deployment failed or L1 was not reachable in time",
      "2:invalid option"
    })
public final class DeployMain implements Callable<Integer> {
  @Option(
      names = {"--l1-rpc", "--l1"},
      required = true,
      paramLabel = "URL",
      description = "the L1 node's JSON-RPC endpoint")
  String l1Rpc;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description = "where the addresses go (KEY=value lines; written atomically)")
  Path out;

  @Option(
      names = "--shape",
      description = "the circuit shape whose verifier is deployed: tiny or devnet (default tiny)")
  String shape = "tiny";

  @Option(
      names = "--deployer-key",
      paramLabel = "HEX",
      description =
          "the key paying for the deployment (default: development account 0, public; devnets only)")
  String deployerKey;

  @Option(
      names = "--operator",
      paramLabel = "ADDR",
      description = "receives the operator role, i.e. submits batches (default: the deployer)")
  String operator;

  @Option(
      names = "--admin",
      paramLabel = "ADDR",
      description = "receives the admin role (default: the deployer)")
  String admin;

  @Option(
      names = "--deadline-s",
      paramLabel = "S",
      description = "the forced-action deadline in seconds (default ${DEFAULT-VALUE})")
  long deadlineSeconds = 3_600;

  @Option(
      names = "--collateral",
      paramLabel = "ADDR",
      description = "an existing ERC-20 as collateral (default: deploy TestUSD with its faucet)")
  String collateral;

  @Option(
      names = "--wait-s",
      paramLabel = "S",
      description = "how long to wait for the L1 node to answer (default ${DEFAULT-VALUE})")
  long waitSeconds = 60;

  private PrintWriter stdout;
  private PrintWriter stderr;

  /** Used by picocli. */
  DeployMain() {}

  /**
   * Runs the deployer and exits with its code.
   *
   * @param args the options ({@code --help} lists them)
   */
  public static void main(String[] args) {
    System.exit(
        run(
            args,
            new PrintWriter(System.out, true, StandardCharsets.UTF_8),
            new PrintWriter(System.err, true, StandardCharsets.UTF_8)));
  }

  /**
   * Runs the deployer with the given streams (tests).
   *
   * @param args the options
   * @param out standard output
   * @param err standard error
   * @return the exit code
   */
  static int run(String[] args, PrintWriter out, PrintWriter err) {
    DeployMain main = new DeployMain();
    main.stdout = out;
    main.stderr = err;
    CommandLine cl = new CommandLine(main);
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler(
        (e, line, parsed) -> {
          err.println("deploy: " + e.getMessage());
          err.flush();
          return 1;
        });
    return cl.execute(args);
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    Credentials deployer =
        deployerKey == null ? DevAccounts.account(0) : Credentials.create(deployerKey);
    DeployParams params;
    try {
      DeployParams devnet =
          DeployParams.devnet(
              shape,
              admin == null ? deployer.getAddress() : admin,
              operator == null ? deployer.getAddress() : operator,
              deadlineSeconds);
      params =
          new DeployParams(
              devnet.shape(),
              devnet.admin(),
              devnet.operator(),
              devnet.forcedActionDeadlineSeconds(),
              devnet.verifierTimelockSeconds(),
              devnet.forcedRequestFeeWei(),
              Optional.ofNullable(collateral));
    } catch (IllegalArgumentException e) {
      stderr.println("deploy: " + e.getMessage());
      stderr.flush();
      return 2;
    }
    try (L1Session session = connect()) {
      Optional<String> existing = deployedRollup(session);
      if (existing.isPresent()) {
        stdout.println("already deployed: rollup " + existing.get() + " (" + out + ")");
        stdout.flush();
        return 0;
      }
      long startBlock = session.web3j().ethBlockNumber().send().getBlockNumber().longValueExact();
      RollupDeployment d = RollupDeployer.deploy(session, deployer, params);
      Map<String, String> values = new LinkedHashMap<>();
      values.put("ROLLUP", d.rollup());
      values.put("VERIFIER", d.verifier());
      values.put("COLLATERAL", d.collateral());
      values.put("SHAPE", d.shape());
      values.put("CHAIN_ID", Long.toString(d.chainId()));
      values.put("START_BLOCK", Long.toString(startBlock));
      values.put("L1_RPC", l1Rpc);
      write(values);
      stdout.println(
          "deployed: rollup "
              + d.rollup()
              + ", verifier "
              + d.verifier()
              + " ("
              + d.shape()
              + "), collateral "
              + d.collateral()
              + ", chain "
              + d.chainId()
              + ", from block "
              + startBlock
              + " -> "
              + out);
      stdout.flush();
      return 0;
    }
  }

  private L1Session connect() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(waitSeconds).toNanos();
    while (true) {
      try {
        return L1Session.connect(l1Rpc);
      } catch (L1Exception e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(500);
      }
    }
  }

  /** The rollup the output file names, if it has code on this chain. */
  private Optional<String> deployedRollup(L1Session session) throws IOException {
    if (!Files.exists(out)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (var r = Files.newBufferedReader(out, StandardCharsets.UTF_8)) {
      p.load(r);
    }
    String rollup = p.getProperty("ROLLUP");
    String chain = p.getProperty("CHAIN_ID");
    if (rollup == null || chain == null || !chain.equals(Long.toString(session.chainId()))) {
      return Optional.empty();
    }
    String code =
        session.web3j().ethGetCode(rollup, DefaultBlockParameterName.LATEST).send().getCode();
    boolean hasCode = code != null && !code.equals("0x") && !code.isEmpty();
    return hasCode ? Optional.of(rollup) : Optional.empty();
  }

  private void write(Map<String, String> values) throws IOException {
    StringBuilder b = new StringBuilder("# written by the zkperp deployer (DeployMain)\n");
    values.forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
    Path dir = out.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".deploy", ".tmp");
    Files.writeString(tmp, b.toString(), StandardCharsets.UTF_8);
    Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
