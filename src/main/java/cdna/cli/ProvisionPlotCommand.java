package cdna.cli;

import cdna.design.Design;
import cdna.design.DesignFiles;
import cdna.provision.ProvisionConfig;
import cdna.provision.Throughput;
import cdna.report.ProvisionPlot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** Simulates many contexts sharing a link and plots each one's throughput against its cap and minimum. */
@Command(name = "provision-plot", mixinStandardHelpOptions = true,
        description = "Simulate contexts with mixed caps and minimum rates (some greedy) on one link, through the provisioning twin, "
                + "and plot each context's throughput against its cap and minimum (SVG).")
public final class ProvisionPlotCommand implements Callable<Integer> {
    @Option(names = "--seed", description = "Seed of the mix and the run (default: ${DEFAULT-VALUE}).")
    long seed = 20261205L;

    @Option(names = "--contexts", description = "Contexts sharing the link, at least 16 (default: ${DEFAULT-VALUE}).")
    int contexts = 20;

    @Option(names = "--ticks", description = "Ticks simulated (default: ${DEFAULT-VALUE}).")
    int ticks = 5000;

    @Option(names = "--design", description = "Design file name under --designs (default: ${DEFAULT-VALUE}).")
    String design = "cdna-baseline";

    @Option(names = "--designs", description = "Directory of design files (default: ${DEFAULT-VALUE}).")
    Path designs = Path.of("model-check/designs");

    @Option(names = "--out", description = "SVG file to write (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("docs/provisioning.svg");

    @Override
    public Integer call() throws Exception {
        if (contexts < 16) throw new IllegalArgumentException("--contexts must be at least 16, found " + contexts);
        if (ticks < 10) throw new IllegalArgumentException("--ticks must be at least 10, found " + ticks);
        Design d = new DesignFiles(designs).load(design);
        System.out.println("provision-plot: seed=" + seed + " (reproduce with --seed " + seed + ")");
        ProvisionConfig k = Throughput.mix(seed, contexts);
        Throughput.Result r = Throughput.run(k, d, seed, ticks);
        System.out.print(ProvisionPlot.table(r));
        System.out.println(r.broken().isEmpty() ? "RateCap, MinGuarantee and AdmissionSound held after every step"
                : "broken: " + String.join(", ", r.broken()));
        if (out.toAbsolutePath().getParent() != null) Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, ProvisionPlot.svg(r));
        System.out.println("wrote " + out);
        return 0;
    }
}
