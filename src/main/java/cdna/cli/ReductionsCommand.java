package cdna.cli;

import cdna.check.Manifest;
import cdna.check.ReductionRun;
import cdna.design.Design;
import cdna.design.DesignFiles;
import cdna.json.InputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * bin/cdna reductions: for each spec, the states and time of its standard
 * models with and without each reduction, measured side by side in one run
 * (docs/reductions.md argues each reduction; this measures what it buys).
 */
@Command(name = "reductions", mixinStandardHelpOptions = true,
        description = {"Measure what each state-space reduction buys: each spec's standard models as configured and with one "
                + "reduction taken out (symmetry, the View, the doorbell over-approximation, the two halves of ContextOwnership), "
                + "states and time side by side in one run. Prints a table and writes reports/reductions.md.",
                "A run that outgrows --cap is stopped: its states are a lower bound, and so is the ratio. About 40 minutes "
                        + "with the default cap on the reference 2-core machine; nothing else should run meanwhile.",
                "Exit 0: every run finished or was capped with a count; 1: a run failed (its error is printed); 2: bad arguments."})
public final class ReductionsCommand implements Callable<Integer> {

    @Option(names = "--root", defaultValue = ".", paramLabel = "DIR", description = "Project root (default: current directory).")
    Path root;

    @Option(names = "--cap", defaultValue = "10", paramLabel = "MINUTES", description = "Stop a run after this long (default: ${DEFAULT-VALUE}).")
    int capMinutes;

    @Option(names = "--workers", defaultValue = "1", paramLabel = "N", description = "TLC workers per run (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--out", paramLabel = "FILE", description = "Where to write the table (default: reports/reductions.md under the root).")
    Path out;

    @Option(names = "--only", paramLabel = "REGEX", description = "Measure only the rows whose model or reduction this finds.")
    String only;

    /**
     * One comparison: a model as configured against the same model without one reduction, or (for a
     * reduction that is a choice of model, such as ContextOwnership's halves) against another model.
     */
    record Row(String spec, String model, String design, String reduction, ReductionRun.Change change, String unreducedModel) {
        String label() { return model + " / " + reduction; }
    }

    /** The rows, spec by spec. MigrationHandoff has none: its models finish in seconds without a reduction. */
    static final List<Row> ROWS = List.of(
            new Row("CdnaProtection", "cdna-standard", "cdna-baseline", "symmetry",
                    new ReductionRun.Change("symmetry", Set.of("SYMMETRY"), Map.of()), null),
            new Row("CdnaProtection", "cdna-standard", "cdna-baseline", "View",
                    new ReductionRun.Change("View", Set.of("VIEW"), Map.of()), null),
            new Row("CdnaProtection", "cdna-standard", "cdna-baseline", "doorbell over-approximated",
                    new ReductionRun.Change("doorbell over-approximated", Set.of(), Map.of("ModelDoorbell", "TRUE")), null),
            new Row("IommuProtection", "iommu-standard", "iommu-baseline", "symmetry",
                    new ReductionRun.Change("symmetry", Set.of("SYMMETRY"), Map.of()), null),
            new Row("IommuProtection", "iommu-pair", "iommu-baseline", "symmetry",
                    new ReductionRun.Change("symmetry", Set.of("SYMMETRY"), Map.of()), null),
            new Row("ContextOwnership", "ownership-standard", "cdna-baseline", "symmetry",
                    new ReductionRun.Change("symmetry", Set.of("SYMMETRY"), Map.of()), null),
            new Row("ContextOwnership", "ownership-interrupts", "cdna-baseline", "symmetry",
                    new ReductionRun.Change("symmetry", Set.of("SYMMETRY"), Map.of()), null),
            new Row("ContextOwnership", "ownership-interrupts", "cdna-baseline", "two halves (3 contexts)",
                    ReductionRun.Change.none(), "ownership-contexts"));

    @Override
    public Integer call() throws IOException {
        if (capMinutes < 1) return bad("--cap must be at least 1 minute, not " + capMinutes);
        if (workers < 1) return bad("--workers must be at least 1, not " + workers);
        Pattern filter = null;
        if (only != null) {
            try {
                filter = Pattern.compile(only);
            } catch (PatternSyntaxException e) {
                return bad("--only: not a regular expression: " + e.getDescription() + " in '" + only + "'");
            }
        }
        Path rootDir = root.toAbsolutePath().normalize();
        Manifest manifest;
        DesignFiles designs = new DesignFiles(rootDir.resolve("model-check/designs"));
        List<Row> rows = new ArrayList<>();
        try {
            manifest = Manifest.read(rootDir.resolve("model-check/manifest.json"));
            for (Row r : ROWS) {
                if (filter != null && !filter.matcher(r.label()).find()) continue;
                for (String t : r.unreducedModel() == null ? List.of(r.model()) : List.of(r.model(), r.unreducedModel())) {
                    if (manifest.template(t) == null) return bad("model-check/manifest.json: no model " + t);
                }
                designs.load(r.design());
                rows.add(r);
            }
        } catch (InputException e) {
            return bad(e.getMessage());
        }
        if (rows.isEmpty()) return bad("--only " + only + " matches no row; the rows are "
                + String.join(", ", ROWS.stream().map(Row::label).toList()));

        Path work = rootDir.resolve("target/cdna-reductions/" + System.currentTimeMillis());
        Duration cap = Duration.ofMinutes(capMinutes);
        Map<String, ReductionRun.Measurement> reduced = new LinkedHashMap<>();
        StringBuilder md = new StringBuilder("# Reduction figures\n\n").append("Machine: ").append(Provenance.machine())
                .append("; commit ").append(Provenance.gitCommit(rootDir)).append("; ").append(workers)
                .append(" TLC worker(s) a run, one run at a time, cap ").append(capMinutes).append(" min a run.\n\n")
                .append("| spec | model (design) | reduction | states with it | s | states without it | s | states ratio | time ratio |\n")
                .append("|---|---|---|---:|---:|---:|---:|---:|---:|\n");
        System.out.println(String.format(Locale.ROOT, "%-17s %-58s %-27s %12s %8s %13s %8s %9s", "spec", "model (design)", "reduction",
                "with: states", "s", "without", "s", "ratio"));
        boolean ok = true;
        int n = 0;
        try {
            for (Row r : rows) {
                Design d = designs.load(r.design());
                ReductionRun.Measurement with = reduced.get(r.model() + "/" + r.design());
                if (with == null) {
                    with = ReductionRun.run(rootDir, manifest.template(r.model()), d, ReductionRun.Change.none(), cap, workers,
                            work.resolve(r.model() + "-" + n++));
                    reduced.put(r.model() + "/" + r.design(), with);
                }
                ReductionRun.Measurement without = r.unreducedModel() == null
                        ? ReductionRun.run(rootDir, manifest.template(r.model()), d, r.change(), cap, workers, work.resolve(r.model() + "-" + n++))
                        : ReductionRun.run(rootDir, manifest.template(r.unreducedModel()), d, ReductionRun.Change.none(), cap, workers,
                                work.resolve(r.unreducedModel() + "-" + n++));
                String model = r.model() + (r.unreducedModel() == null ? "" : " vs " + r.unreducedModel()) + " (" + r.design() + ")";
                if (!with.usable() || !without.usable()) {
                    ok = false;
                    ReductionRun.Measurement bad = with.usable() ? without : with;
                    System.out.println(String.format(Locale.ROOT, "%-17s %-58s %-27s FAILED: %s: %s", r.spec(), model, r.reduction(),
                            bad.kind(), bad.message()));
                    System.out.println("  TLC: " + bad.command());
                    md.append("| ").append(r.spec()).append(" | ").append(model).append(" | ").append(r.reduction())
                            .append(" | failed: ").append(bad.kind()).append(" | | | | | |\n");
                    continue;
                }
                // a capped reduced run has no count to divide by; a capped unreduced run gives a lower bound
                String ratio = with.capped() ? "n/a" : ratio(without.distinct(), with.distinct(), without.capped());
                String timeRatio = with.capped() ? "n/a" : ratio(without.seconds(), with.seconds(), without.capped());
                System.out.println(String.format(Locale.ROOT, "%-17s %-58s %-27s %12s %8.0f %13s %8.0f %9s", r.spec(), model, r.reduction(),
                        states(with), with.seconds(), states(without), without.seconds(), ratio));
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.0f | %s | %.0f | %s | %s |%n", r.spec(), model, r.reduction(),
                        states(with), with.seconds(), states(without), without.seconds(), ratio, timeRatio));
            }
        } catch (InputException e) {
            return bad(e.getMessage());
        }
        md.append("\nA run stopped at the cap shows `>` before its states: the count it had reached, so its ratio is a lower bound.\n")
                .append("MigrationHandoff uses no reduction (its models finish in seconds), so it has no row.\n");
        Path report = out != null ? out.toAbsolutePath() : rootDir.resolve("reports/reductions.md");
        Files.createDirectories(report.getParent());
        Files.writeString(report, md);
        System.out.println("wrote " + report);
        return ok ? 0 : 1;
    }

    private static String states(ReductionRun.Measurement m) {
        return (m.capped() ? "> " : "") + String.format(Locale.ROOT, "%,d", m.distinct());
    }

    private static String ratio(double without, double with, boolean lowerBound) {
        if (with <= 0) return "n/a";
        return (lowerBound ? ">= " : "") + String.format(Locale.ROOT, "%.1fx", without / with);
    }

    private static int bad(String message) {
        System.err.println("cdna reductions: " + message);
        return 2;
    }
}
