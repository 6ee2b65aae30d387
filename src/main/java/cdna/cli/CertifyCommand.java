package cdna.cli;

import cdna.certify.Certificate;
import cdna.certify.Certification;
import cdna.check.Manifest;
import cdna.check.ModelChecker;
import cdna.check.PropertyResult;
import cdna.check.TlcRunner;
import cdna.design.Design;
import cdna.design.DesignFiles;
import cdna.json.InputException;
import cdna.report.CertificateReport;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * bin/cdna certify: every applicable model of a profile, and the
 * implementation, under one design; a verdict per property, a report and a
 * certificate.
 */
@Command(name = "certify", mixinStandardHelpOptions = true,
        description = {"Certify a design: run every model of the profile that applies to it through TLC (every property,",
                "refinement included; each counterexample labelled, drawn and replayed on Java), run the Java implementation",
                "under it (seeded random runs, a long run, the fuzz corpus), and give a verdict per property.",
                "Writes reports/DESIGN/index.html and reports/DESIGN/certificate.json.",
                "Exit 0: certified (every property holds); 1: not certified (the last line names the failing properties);",
                "2: bad input; 130: interrupted (the report is marked incomplete and no certificate is written)."})
public final class CertifyCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", defaultValue = "cdna-baseline", paramLabel = "DESIGN",
            description = "A design name in model-check/designs/, or the path of a design file anywhere (default: cdna-baseline).")
    String designArg;

    @Option(names = "--profile", defaultValue = "standard", paramLabel = "P",
            description = "Which models: small (fast, smaller bounds), standard (default) or deep (the deep models).")
    String profile;

    @Option(names = "--only", paramLabel = "REGEX",
            description = {"Run only the models of the profile whose name contains a match (a Java regex), and the conformance checks",
                    "of the small models it matches: a quick verdict while a design is being worked on. Such a partial",
                    "certification can find a design NOT CERTIFIED, never CERTIFIED (what it leaves out could break what it keeps)."})
    String only;

    @Mixin
    RunOptions run = new RunOptions();

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the implementation's random runs (default: a fixed one, printed).")
    Long seed;

    static final long DEFAULT_SEED = 20240611L;

    @Override
    public Integer call() throws IOException {
        PrintStream out = System.out;
        PrintStream err = System.err;
        if (!List.of("small", "standard", "deep").contains(profile)) {
            return bad(err, "--profile must be small, standard or deep, found \"" + profile + "\"");
        }
        if (run.problem() != null) return bad(err, run.problem());
        java.util.regex.Pattern onlyPattern;
        try {
            onlyPattern = RunOptions.onlyPattern(only);
        } catch (IllegalArgumentException e) {
            return bad(err, e.getMessage());
        }
        Path rootDir = run.rootDir();
        Manifest manifest;
        Design design;
        String designFile;
        DesignFiles files = new DesignFiles(rootDir.resolve("model-check/designs"));
        try {
            manifest = Manifest.read(rootDir.resolve("model-check/manifest.json"));
            Path asPath = Path.of(designArg);
            boolean isPath = designArg.contains("/") || designArg.endsWith(".json") || Files.exists(asPath);
            if (isPath) {
                design = files.loadFile(asPath);
                designFile = asPath.toAbsolutePath().normalize().toString();
            } else {
                if (!designArg.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
                    return bad(err, "\"" + designArg + "\" is neither a design name nor a design file");
                }
                design = files.load(designArg);
                designFile = rootDir.relativize(files.fileOf(designArg).toAbsolutePath().normalize()).toString();
            }
        } catch (InputException e) {
            return bad(err, e.getMessage());
        }
        Design baseline;
        try {
            baseline = files.load(Certification.baselineOf(design));
        } catch (InputException e) {
            baseline = null;
        }
        long s = seed == null ? DEFAULT_SEED : seed;
        Progress progress = run.progress();
        Path dir = rootDir.resolve(run.reports).resolve(design.name());
        ModelChecker checker = new ModelChecker(run.settings(dir, rootDir.resolve("target/cdna-certify").resolve(design.name()), true));
        Certification cert = new Certification(rootDir, manifest, checker, design, designFile, profile, baseline, onlyPattern);
        int applicable = cert.applicable().size(); // fills cert.skipped()
        if (applicable == 0 && onlyPattern != null) {
            return bad(err, "--only " + only + " matches no model of profile " + profile + " that applies to " + design.name());
        }
        Files.createDirectories(dir);
        // a certificate left from an earlier run must never be mistaken for this one's
        Files.deleteIfExists(dir.resolve("certificate.json"));
        if (progress.mode() == Progress.Mode.HUMAN) {
            long leftOut = cert.skipped().stream().filter(Certificate.Skipped::leftOut).count();
            err.printf(Locale.ROOT, "cdna certify %s: %d models of profile %s apply (%d do not%s); implementation seed %d%n",
                    design.name(), applicable, profile, cert.skipped().size() - leftOut,
                    leftOut == 0 ? "" : ", " + leftOut + " left out by --only", s);
        }
        String commandLine = "bin/cdna " + String.join(" ", Main.lastArgs());
        long t0 = System.nanoTime();
        AtomicBoolean finished = new AtomicBoolean(false);
        Thread hook = new Thread(() -> {
            if (finished.get()) return;
            // Ctrl-C: no new TLC, kill the running ones, keep what finished in a report marked incomplete
            TlcRunner.stopAll();
            try {
                Certificate partial = cert.certificate(false, Provenance.of(rootDir, s, commandLine,
                        CertificateReport.commands(List.of())), (System.nanoTime() - t0) / 1e9);
                CertificateReport.write(rootDir, dir, partial);
                err.println("cdna certify: interrupted; wrote an incomplete report to " + dir.resolve("index.html")
                        + " and no certificate");
            } catch (IOException | RuntimeException e) {
                err.println("cdna certify: interrupted; could not write the incomplete report: " + e);
            }
        }, "cdna-certify-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);

        cert.run(new ModelChecker.Listener() {
            @Override public void message(String text) { progress.message(text); }
            @Override public void progress(String model, TlcRunner.Progress p) { progress.progress(model, p); }
        }, s, run.lanes);
        if (TlcRunner.stopped()) return 130; // the hook writes the incomplete report
        Certificate c = cert.certificate(true, null, 0);
        c = c.withProvenance(Provenance.of(rootDir, s, commandLine, commands(c)), (System.nanoTime() - t0) / 1e9);
        CertificateReport.write(rootDir, dir, c);
        finished.set(true);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down
        }
        for (Certificate.ModelRun m : c.models()) for (PropertyResult r : m.results()) progress.verdict(r);

        String last = c.status().equals(Certificate.CERTIFIED)
                ? String.format(Locale.ROOT, "CERTIFIED %s: all %d properties hold, spec and code agree in %d conformance runs (profile %s, %.0f s)",
                        design.name(), c.properties().stream().filter(v -> v.verdict().equals("holds")).count(),
                        c.conformance().runs().size(), profile, c.seconds())
                : "NOT CERTIFIED " + design.name() + ": " + String.join(", ", c.failing());
        if (progress.mode() == Progress.Mode.JSON) {
            ObjectNode o = Progress.event("certificate").put("design", design.name()).put("status", c.status())
                    .put("report", rootDir.relativize(dir.resolve("index.html")).toString())
                    .put("certificate", rootDir.relativize(dir.resolve("certificate.json")).toString())
                    .put("seconds", Math.round(c.seconds()));
            ArrayNode f = o.putArray("failing");
            c.failing().forEach(f::add);
            progress.emit(o);
        } else {
            out.print(table(c));
            out.println("wrote " + rootDir.relativize(dir.resolve("index.html")) + " and "
                    + rootDir.relativize(dir.resolve("certificate.json")));
            out.println(last);
        }
        return c.status().equals(Certificate.CERTIFIED) ? 0 : 1;
    }

    /** The TLC command lines behind a certificate's verdicts, then those behind its conformance checks. */
    static List<String> commands(Certificate c) {
        List<String> all = new java.util.ArrayList<>(CertificateReport.commands(c.models()));
        if (c.conformance() != null) for (cdna.certify.ConformanceChecks.Run r : c.conformance().runs()) if (!r.command().isEmpty()) all.add(r.command());
        return all;
    }

    static String table(Certificate c) {
        int w = 12;
        for (Certificate.PropertyVerdict v : c.properties()) w = Math.max(w, v.property().length());
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-" + w + "s  %-14s  %s%n", "property", "verdict", "evidence"));
        sb.append("-".repeat(w)).append("  ").append("-".repeat(14)).append("  ").append("-".repeat(40)).append('\n');
        for (Certificate.PropertyVerdict v : c.properties()) {
            sb.append(String.format(Locale.ROOT, "%-" + w + "s  %-14s  %s%n", v.property(), v.verdict(), v.why()));
        }
        if (c.conformance() != null) {
            sb.append('\n');
            for (cdna.certify.ConformanceChecks.Run r : c.conformance().runs()) {
                sb.append(String.format(Locale.ROOT, "%-" + w + "s  %-14s  %s%n", r.kind(), r.outcome(),
                        r.model() + ": " + r.summary().replaceFirst("^[A-Za-z]+: ", "")));
            }
        }
        return sb.toString();
    }

    private static int bad(PrintStream err, String msg) {
        err.println("cdna certify: " + msg);
        return 2;
    }
}
