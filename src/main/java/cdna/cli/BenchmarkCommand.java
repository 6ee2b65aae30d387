package cdna.cli;

import cdna.check.Manifest;
import cdna.check.ModelChecker;
import cdna.check.PropertyResult;
import cdna.check.TlcMain;
import cdna.check.TlcRunner;
import cdna.json.InputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * bin/cdna benchmark: the speed figures of the README and docs/certification.md in one run, side by
 * side.  (1) The runner's overhead against raw TLC: each model run through
 * the checker (fork via TlcMain, cfg rendering, output parsing, progress) and
 * the very same TLC command with tlc2.TLC as main class, one after the other, one lane
 * and one worker each.  (2) bin/cdna certify of both baselines.  (3) bin/cdna
 * check, the whole regression suite.  Writes reports/benchmark.md.
 */
@Command(name = "benchmark", mixinStandardHelpOptions = true,
        description = {"Measure, in one run: the runner's overhead against raw TLC on the same cfgs, the time of",
                "bin/cdna certify cdna-baseline and iommu-baseline, and of bin/cdna check. Prints a table and writes",
                "reports/benchmark.md; also exhaustive replay of state graphs on the Java implementation (edges per second",
                "against TLC's states per second on the same model) and the fuzz target's executions per second.",
                "About 40 minutes on the reference 2-core machine; nothing else should run meanwhile."})
public final class BenchmarkCommand implements Callable<Integer> {
    @Option(names = "--root", defaultValue = ".", paramLabel = "DIR", description = "Project root (default: current directory).")
    Path root;

    @Option(names = "--overhead-models", defaultValue = "(cdna-standard|cdna-pair|ownership-interrupts|ownership-pair|iommu-pair|iommu-standard)--(cdna|iommu)-baseline",
            paramLabel = "REGEX", description = "Regression runs to measure the runner's overhead on (default: the baselines' models of under a minute).")
    String overheadModels;

    @Option(names = "--skip-certify", description = "Do not time bin/cdna certify.")
    boolean skipCertify;

    @Option(names = "--skip-check", description = "Do not time bin/cdna check.")
    boolean skipCheck;

    @Option(names = "--skip-overhead", description = "Do not measure the runner against raw TLC.")
    boolean skipOverhead;

    @Option(names = "--skip-conformance", description = "Do not measure exhaustive replay (spec to code) and the fuzz target's throughput.")
    boolean skipConformance;

    @Option(names = "--fuzz-seconds", defaultValue = "60", description = "How long to measure the fuzz target's throughput (default: ${DEFAULT-VALUE}).")
    int fuzzSeconds;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Path rootDir = root.toAbsolutePath().normalize();
        Manifest manifest;
        try {
            manifest = Manifest.read(rootDir.resolve("model-check/manifest.json"));
        } catch (InputException e) {
            System.err.println("cdna benchmark: " + e.getMessage());
            return 2;
        }
        StringBuilder md = new StringBuilder("# Benchmark\n\n").append("Machine: ").append(Provenance.machine())
                .append("; commit ").append(Provenance.gitCommit(rootDir)).append(".\n\n");
        if (!skipConformance) ConformanceBenchmark.run(rootDir, md, fuzzSeconds);
        if (!skipOverhead) overhead(rootDir, manifest, md);
        return commands(rootDir, md);
    }

    /** (1) The runner against raw TLC on the same cfgs. */
    private void overhead(Path rootDir, Manifest manifest, StringBuilder md) throws IOException, InterruptedException {
        Pattern pat = Pattern.compile(overheadModels);
        md.append("## Runner overhead against raw TLC (one worker, one run at a time, the runner first)\n\n")
                .append("raw TLC: the runner's command with tlc2.TLC as main class, without and with `-coverage 1`; runner: ")
                .append("its TLC run (with coverage) and the witness runs of the vacuity check; overhead: the runner's TLC run ")
                .append("against the same command run raw; coverage: what -coverage costs TLC.\n\n")
                .append("| model | distinct states | raw TLC s | raw TLC + coverage s | runner s | witnesses s | overhead | coverage |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        ModelChecker checker = new ModelChecker(new ModelChecker.Settings(rootDir, rootDir.resolve("target/cdna-benchmark/reports"),
                rootDir.resolve("target/cdna-benchmark/work"), 1, TlcRunner.Launcher.tlc("5g"), 3.0));
        double plainTotal = 0, rawTotal = 0, runTotal = 0, witnessTotal = 0;
        for (Manifest.Entry e : manifest.entries()) {
            Manifest.Model m = e.model();
            if (m == null || !m.profile().equals("standard") || !pat.matcher(m.name()).matches()) continue;
            List<PropertyResult> r = checker.check(m, msg -> {});
            if (!r.stream().allMatch(x -> x.verdict().equals("holds"))) {
                System.err.println("cdna benchmark: " + m.name() + " does not hold everything; skipped");
                continue;
            }
            double run = r.get(0).seconds();
            java.util.Set<String> seen = new java.util.HashSet<>();
            double witnesses = 0;
            for (PropertyResult x : r) for (var w : x.witnesses()) if (seen.add(w.name())) witnesses += w.seconds();
            String cmd = r.get(0).commands().get(0);
            double raw = raw(rootDir, cmd, m.name());
            double plain = raw(rootDir, cmd.replace(" -coverage 1", ""), m.name());
            plainTotal += plain;
            rawTotal += raw;
            runTotal += run;
            witnessTotal += witnesses;
            String row = String.format(Locale.ROOT, "| %s | %,d | %.1f | %.1f | %.1f | %.1f | %+.1f %% | %+.1f %% |%n", m.name(),
                    r.get(0).distinctStates(), plain, raw, run, witnesses, 100 * (run / raw - 1), 100 * (raw / plain - 1));
            System.out.print(row);
            md.append(row);
        }
        String total = String.format(Locale.ROOT, "| **all** | | %.1f | %.1f | %.1f | %.1f | **%+.1f %%** | **%+.1f %%** |%n",
                plainTotal, rawTotal, runTotal, witnessTotal, 100 * (runTotal / Math.max(rawTotal, 1e-9) - 1),
                100 * (rawTotal / Math.max(plainTotal, 1e-9) - 1));
        System.out.print(total);
        md.append(total).append('\n');
    }

    /** (2) and (3): bin/cdna certify of both baselines and bin/cdna check, timed. */
    private int commands(Path rootDir, StringBuilder md) throws IOException, InterruptedException {
        if (!skipCertify || !skipCheck) {
            md.append("## Whole commands (defaults: two lanes, one TLC worker each)\n\n| command | seconds | exit |\n|---|---:|---:|\n");
        }
        List<List<String>> commands = new ArrayList<>();
        if (!skipCertify) {
            commands.add(List.of("certify", "cdna-baseline", "--quiet", "--reports", "target/cdna-benchmark/reports"));
            commands.add(List.of("certify", "iommu-baseline", "--quiet", "--reports", "target/cdna-benchmark/reports"));
        }
        if (!skipCheck) commands.add(List.of("check", "--quiet", "--reports", "target/cdna-benchmark/reports"));
        for (List<String> c : commands) {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xss8m", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
            cmd.addAll(c);
            Path log = rootDir.resolve("target/cdna-benchmark/" + c.get(0) + "-" + (c.get(1).startsWith("-") ? "all" : c.get(1)) + ".log");
            Files.createDirectories(log.getParent());
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(cmd).directory(rootDir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            p.waitFor();
            double s = (System.nanoTime() - t0) / 1e9;
            String row = String.format(Locale.ROOT, "| `bin/cdna %s` | %.0f | %d |%n", String.join(" ", c.subList(0, c.get(0).equals("check") ? 1 : 2)),
                    s, p.exitValue());
            System.out.print(row);
            md.append(row);
        }
        Path out = rootDir.resolve("reports/benchmark.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md.toString());
        System.out.println("wrote " + rootDir.relativize(out));
        return 0;
    }

    /** The recorded runner command again, with tlc2.TLC as main class, no progress sampling, a fresh metadir. */
    private static double raw(Path root, String shellLine, String name) throws IOException, InterruptedException {
        String cmd = shellLine.replace(TlcMain.class.getName(), "tlc2.TLC").replaceAll("-Dcdna\\.progress=\\S+ ", "");
        Path meta = root.resolve("target/cdna-benchmark/raw-" + name);
        cdna.check.TraceFiles.writeAtomically(meta.resolve("keep"), "");
        cmd = cmd.replaceAll("-metadir \\S+", "-metadir " + meta.resolve("metadir-" + System.nanoTime()));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder("bash", "-c", cmd).directory(root.resolve("model-check").toFile())
                .redirectErrorStream(true).redirectOutput(meta.resolve("tlc.log").toFile()).start();
        if (!p.waitFor(2, TimeUnit.HOURS)) p.destroyForcibly();
        double s = (System.nanoTime() - t0) / 1e9;
        if (p.exitValue() != 0) throw new IOException("raw TLC exited " + p.exitValue() + " for " + name + "; see " + meta);
        return s;
    }
}
