package cdna.cli;

import cdna.certify.Certificate;
import cdna.certify.Certification;
import cdna.check.Manifest;
import cdna.check.ModelChecker;
import cdna.check.TlcRunner;
import cdna.costs.UnitCosts;
import cdna.design.Design;
import cdna.design.DesignFiles;
import cdna.design.Switch;
import cdna.explore.DesignSpace;
import cdna.explore.Exploration;
import cdna.explore.Frontier;
import cdna.json.InputException;
import cdna.report.CertificateReport;
import cdna.report.ExploreReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * bin/cdna explore: the designs reached from a base by varying switches, each
 * certified (small bounds, then standard bounds for those that can still
 * matter) and joined with its per-packet cost; the table, the Pareto frontier
 * and its plot, and the cheapest design that keeps a given set of properties.
 */
@Command(name = "explore", mixinStandardHelpOptions = true,
        description = {"Explore a design space: vary switches from a base design, certify each design (small bounds, then standard",
                "bounds for those that can still reach the frontier), measure its per-packet cost on the Java implementation, and",
                "report which properties each keeps against what it costs, with the Pareto frontier.",
                "Writes reports/explore/BASE/{index.html,table.md,frontier.svg,explore.json} and a certificate per design.",
                "Exit 0: explored, every verdict a holds or a violation and all agree with the manifest; 1: a run failed, a verdict",
                "disagrees with the manifest, or no design keeps the --keep set; 2: bad input; 130: interrupted."})
public final class ExploreCommand implements Callable<Integer> {
    @Option(names = "--base", defaultValue = "cdna-baseline", paramLabel = "DESIGN",
            description = "The design to vary: a name in model-check/designs/ or a design file (default: cdna-baseline).")
    String baseArg;

    @Option(names = "--vary", paramLabel = "SWITCH,...", split = ",",
            description = {"Switches to vary together (every combination of their values). Default: every switch of the base's",
                    "protection mode, one and two at a time (hundreds of designs: hours)."})
    List<String> vary;

    @Option(names = "--keep", paramLabel = "PROPERTY,...", split = ",",
            description = "Print the cheapest explored design that keeps all these properties, with its certificate.")
    List<String> keep;

    @Option(names = "--stages", defaultValue = "standard", paramLabel = "S",
            description = "small (stop after small bounds: quick, not a certification) or standard (default).")
    String stages;

    @Option(names = "--unit-costs", paramLabel = "FILE",
            description = "A JSON file of unit costs, replacing the defaults it names (docs/exploration.md).")
    Path unitCosts;

    @Option(names = "--packets", defaultValue = "4096", paramLabel = "N", description = "Packets counted per design for its costs (default 4096).")
    int packets;

    @Option(names = "--check-dominated",
            description = "Certify at standard bounds even the designs that cannot reach the frontier (slower; no provisional rows).")
    boolean checkDominated;

    @Option(names = "--only", paramLabel = "REGEX",
            description = "Run only the models whose name contains a match (as certify --only): quick, never a certification.")
    String only;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the implementation's random runs (default: certify's, printed).")
    Long seed;

    @Mixin
    RunOptions run = new RunOptions();

    @Override
    public Integer call() throws IOException {
        PrintStream out = System.out;
        PrintStream err = System.err;
        if (run.problem() != null) return bad(err, run.problem());
        if (!List.of("small", "standard").contains(stages)) return bad(err, "--stages must be small or standard, found \"" + stages + "\"");
        if (packets < 1) return bad(err, "--packets must be at least 1, found " + packets);
        java.util.regex.Pattern onlyPattern;
        try {
            onlyPattern = RunOptions.onlyPattern(only);
        } catch (IllegalArgumentException e) {
            return bad(err, e.getMessage());
        }
        Path root = run.rootDir();
        DesignFiles files = new DesignFiles(root.resolve("model-check/designs"));
        Manifest manifest;
        Design base;
        UnitCosts units = UnitCosts.DEFAULT;
        try {
            manifest = Manifest.read(root.resolve("model-check/manifest.json"));
            boolean isPath = baseArg.contains("/") || baseArg.endsWith(".json");
            if (!isPath && !baseArg.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
                return bad(err, "--base \"" + baseArg + "\" is neither a design name nor a design file");
            }
            base = isPath ? files.loadFile(Path.of(baseArg)) : files.load(baseArg);
            if (unitCosts != null) units = UnitCosts.read(unitCosts);
        } catch (InputException e) {
            return bad(err, e.getMessage());
        }
        List<Switch> switches = new ArrayList<>();
        if (vary != null) {
            for (String v : vary) {
                Switch s;
                try {
                    s = Switch.valueOf(v.trim());
                } catch (IllegalArgumentException e) {
                    return bad(err, "--vary: no switch \"" + v + "\"; the switches are " + java.util.Arrays.toString(Switch.values()));
                }
                if (switches.contains(s)) return bad(err, "--vary: switch " + s + " named twice");
                switches.add(s);
            }
            if (switches.isEmpty()) return bad(err, "--vary: no switch named");
        }
        Set<String> keepSet = null;
        if (keep != null) {
            keepSet = new LinkedHashSet<>();
            for (String p : keep) {
                if (!manifest.properties().containsKey(p.trim())) {
                    return bad(err, "--keep: no property \"" + p + "\"; the properties are " + manifest.properties().keySet());
                }
                keepSet.add(p.trim());
            }
        }
        List<Design> designFiles = new ArrayList<>();
        for (String n : files.names()) {
            try {
                designFiles.add(files.load(n));
            } catch (InputException e) {
                return bad(err, e.getMessage());
            }
        }
        List<DesignSpace.Candidate> candidates = vary == null
                ? DesignSpace.oneAndTwo(base, DesignSpace.defaultVary(base), designFiles)
                : DesignSpace.product(base, switches, designFiles);
        Design baseline;
        try {
            baseline = files.load(Certification.baselineOf(base));
        } catch (InputException e) {
            baseline = null;
        }
        long s = seed == null ? CertifyCommand.DEFAULT_SEED : seed;
        Path dir = root.resolve(run.reports).resolve("explore").resolve(base.name());
        Files.createDirectories(dir);
        Progress progress = run.progress();
        String commandLine = "bin/cdna " + String.join(" ", Main.lastArgs());
        if (progress.mode() == Progress.Mode.HUMAN) {
            err.printf(Locale.ROOT, "cdna explore from %s: %d designs (%s), stages %s, implementation seed %d%n", base.name(),
                    candidates.size(), vary == null ? "every switch of the " + base.protection().spec() + " mode, one and two at a time"
                            : "every combination of " + String.join(", ", switches.stream().map(Enum::name).toList()), stages, s);
        }
        ModelChecker.Listener listener = new ModelChecker.Listener() {
            @Override public void message(String text) { progress.message(text); }
            @Override public void progress(String model, TlcRunner.Progress p) { progress.progress(model, p); }
        };
        Thread hook = new Thread(TlcRunner::stopAll, "cdna-explore-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        Exploration.Settings settings = new Exploration.Settings(root, manifest, designFiles, base, baseline, candidates, stages, s, run.lanes,
                onlyPattern, packets, units, checkDominated,
                (d, profile) -> new ModelChecker(run.settings(ExploreReport.designDir(dir, d.name(), profile),
                        root.resolve("target/cdna-explore").resolve(d.name()).resolve(profile), true)),
                c -> finish(root, dir, c, s, commandLine), listener);
        Exploration.Result r = new Exploration(settings).run();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down
        }

        Exploration.Explored answer = null;
        if (keepSet != null) {
            List<Frontier.Point> pts = new ArrayList<>();
            for (Exploration.Explored e : r.explored()) if (!e.provisional()) pts.add(e.point(units));
            Frontier.Point p = Frontier.cheapestKeeping(pts, keepSet);
            if (p != null) for (Exploration.Explored e : r.explored()) if (e.name().equals(p.design())) answer = e;
        }
        ExploreReport.write(dir, r, keepSet == null ? null : new ExploreReport.Keep(keepSet, answer), commandLine);

        out.print(ExploreReport.table(r));
        out.println();
        out.println("Pareto frontier: " + String.join(", ", r.frontier().stream().map(Frontier.Point::design).toList()));
        List<String> problems = new ArrayList<>();
        for (Exploration.Explored e : r.explored()) for (String p : e.problems()) problems.add(e.name() + ": " + p);
        Exploration.Agreement a = r.agreement();
        out.println(a.disagreements().isEmpty()
                ? String.format(Locale.ROOT, "manifest: %d verdicts compared on %d design files (%s), all agree", a.checked(),
                        a.designs().size(), String.join(", ", a.designs()))
                : String.format(Locale.ROOT, "manifest: %d of %d verdicts DISAGREE: %s", a.disagreements().size(), a.checked(),
                        String.join("; ", a.disagreements())));
        if (keepSet != null) {
            out.println();
            if (answer == null) {
                out.println("No explored design keeps " + String.join(", ", keepSet) + ".");
            } else {
                out.printf(Locale.ROOT, "Cheapest design keeping %s: %s (%s), %.3f per packet; its certificate (profile %s):%n",
                        String.join(", ", keepSet), answer.name(), answer.candidate().changes(), answer.counts().relativeCost(units),
                        answer.last().profile());
                out.print(CertifyCommand.table(answer.last()));
                out.println("certificate: " + root.relativize(ExploreReport.designDir(dir, answer.name(), answer.last().profile())
                        .resolve("certificate.json")));
            }
        }
        out.printf(Locale.ROOT, "wrote %s, %s, %s (%.0f s)%n", root.relativize(dir.resolve("index.html")),
                root.relativize(dir.resolve("table.md")), root.relativize(dir.resolve("frontier.svg")), r.seconds());
        if (r.interrupted()) {
            err.println("cdna explore: interrupted; the report holds what finished");
            return 130;
        }
        if (!problems.isEmpty()) out.println("PROBLEMS: " + String.join("; ", problems));
        return problems.isEmpty() && a.disagreements().isEmpty() && (keepSet == null || answer != null) ? 0 : 1;
    }

    /** Adds the provenance to a design's certificate and writes its report. */
    private static Certificate finish(Path root, Path dir, Certificate c, long seed, String commandLine) {
        Certificate done = c.withProvenance(Provenance.of(root, seed, commandLine, CertifyCommand.commands(c)), c.seconds());
        try {
            CertificateReport.write(root, ExploreReport.designDir(dir, c.design().name(), c.profile()), done);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write the certificate of " + c.design().name(), e);
        }
        return done;
    }

    private static int bad(PrintStream err, String msg) {
        err.println("cdna explore: " + msg);
        return 2;
    }
}
