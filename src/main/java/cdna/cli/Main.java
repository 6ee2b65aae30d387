package cdna.cli;

import picocli.CommandLine;

import java.util.List;
import picocli.CommandLine.Command;

/** Entry point of bin/cdna. */
@Command(name = "cdna", mixinStandardHelpOptions = true, version = "cdna-model 0.1",
        description = "Model-check and certify direct-access network I/O virtualization designs.",
        subcommands = {CertifyCommand.class, CheckCommand.class, ExplainCommand.class, ReplayCommand.class, ValidateCommand.class, CostsCommand.class,
                BenchmarkCommand.class, ExploreCommand.class, ProveCommand.class, ReductionsCommand.class, ProvisionPlotCommand.class})
public final class Main implements Runnable {
    private static volatile List<String> lastArgs = List.of();

    /** The arguments of the command running now (for provenance). */
    static List<String> lastArgs() { return lastArgs; }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI without exiting the JVM (for tests). */
    public static int run(String... args) {
        lastArgs = List.of(args);
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("cdna: " + ex.getMessage());
            return 2;
        });
        return cl.execute(args);
    }
}
