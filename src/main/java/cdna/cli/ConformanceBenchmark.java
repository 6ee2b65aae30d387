package cdna.cli;

import cdna.check.TlcRunner;
import cdna.conformance.ExhaustiveReplay;
import cdna.design.Design;
import cdna.design.DesignFiles;
import cdna.guest.FuzzInputs;
import cdna.json.InputException;
import cdna.sim.HostSystem;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The speed figures of spec/code conformance, measured side by side in one run (part of bin/cdna
 * benchmark): exhaustive replay of TLC's state graphs on the Java implementation, edges per
 * second against TLC's own states generated per second on the same model (TLC generates one
 * state per edge of the graph it dumps, so the ratio says whether checking the code keeps up
 * with generating the graph); and the fuzz target's executions per second, without Jazzer's
 * instrumentation (Jazzer's own figure is a 10-minute run, docs/implementation.md).
 */
final class ConformanceBenchmark {
    private ConformanceBenchmark() {}

    /** A model whose graph is replayed: manifest name, cfg, design, bound overrides, profile. */
    record Case(String model, String cfg, String design, Map<String, String> bounds, String profile) {}

    static final List<Case> CASES = List.of(
            new Case("iommu-standard", "MCIommuStandard.cfg", "iommu-baseline", Map.of(), "standard"),
            new Case("ownership-small", "MCOwnershipSmall.cfg", "cdna-baseline", Map.of(), "small"),
            new Case("ownership-small", "MCOwnershipSmall.cfg", "iommu-baseline", Map.of(), "small"),
            new Case("cdna-small", "MCCdnaSmall.cfg", "cdna-baseline", Map.of("Contexts", "{c1}"), "small"));

    static void run(Path root, StringBuilder md, int fuzzSeconds) throws IOException {
        md.append("## Exhaustive replay (spec to code): every edge of the state graph on the Java implementation\n\n")
                .append("TLC (one worker) dumps the graph of the labelled module; the replay (one thread) steps a copy of each ")
                .append("source state's Java machine and compares the abstraction with the target. TLC states/s: the states it ")
                .append("generated (one per edge) over its wall time, JVM start included. Command: `bin/cdna benchmark` ")
                .append("(each row alone: `bin/cdna replay --exhaustive MODEL --design DESIGN`).\n\n")
                .append("| model | design | bounds | edges | nodes (spec states) | mismatches | TLC s | TLC states/s | parse s | replay s | edges/s | ratio |\n")
                .append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        DesignFiles files = new DesignFiles(root.resolve("model-check/designs"));
        TlcRunner runner = new TlcRunner(TlcRunner.Launcher.tlc("6g"));
        long standardEdges = 0;
        for (Case c : CASES) {
            ExhaustiveReplay.Result r;
            try {
                Design d = files.load(c.design());
                r = new ExhaustiveReplay(root, runner).run(c.cfg(), d, c.bounds(), Set.of(),
                        root.resolve("target/cdna-benchmark/exhaustive/" + c.model() + "-" + c.design()));
            } catch (InputException e) {
                md.append("| ").append(c.model()).append(" | ").append(c.design()).append(" | error: ").append(e.getMessage()).append(" |\n");
                continue;
            }
            if (r.error() != null) {
                String row = "| " + c.model() + " | " + c.design() + " | error: " + r.error() + " |\n";
                System.out.print(row);
                md.append(row);
                continue;
            }
            double tlcRate = r.edges() / Math.max(r.tlcSeconds(), 1e-9);
            String row = String.format(Locale.ROOT, "| %s | %s | %s%s | %,d | %,d (%,d) | %d | %.1f | %,.0f | %.1f | %.1f | %,.0f | %.2f |%n",
                    c.model(), c.design(), c.profile(), c.bounds().isEmpty() ? "" : " " + c.bounds(), r.replayed(), r.nodes(),
                    r.specStates(), r.mismatchCount(), r.tlcSeconds(), tlcRate, r.parseSeconds(), r.replaySeconds(), r.edgesPerSecond(),
                    r.edgesPerSecond() / tlcRate);
            System.out.print(row);
            md.append(row);
            if (c.profile().equals("standard")) standardEdges += r.replayed();
        }
        md.append(String.format(Locale.ROOT, "%nEdges replayed at standard bounds: %,d.%n%n", standardEdges));

        md.append("## Fuzz target throughput (the `baselines` target's body, without Jazzer's instrumentation)\n\n");
        Design cdna, iommu;
        try {
            cdna = files.load("cdna-baseline");
            iommu = files.load("iommu-baseline");
        } catch (InputException e) {
            md.append("error: ").append(e.getMessage()).append("\n\n");
            return;
        }
        md.append("| input length | executions | seconds | exec/s | steps/exec |\n|---:|---:|---:|---:|---:|\n");
        for (int len : new int[] {100, 1000}) {
            SplittableRandom rnd = new SplittableRandom(20261204L + len);
            long n = 0, steps = 0;
            long t0 = System.nanoTime(), end = t0 + fuzzSeconds * 1_000_000_000L / 2;
            while (System.nanoTime() < end) {
                byte[] in = new byte[1 + rnd.nextInt(len)];
                rnd.nextBytes(in);
                FuzzInputs.Decoded dec = FuzzInputs.decode(FuzzInputs.Target.BASELINES, in);
                HostSystem s = FuzzInputs.run(dec, dec.design().equals("cdna-baseline") ? cdna : iommu);
                if (s.checker().first() != null) throw new IllegalStateException("a baseline broke isolation: " + s.checker().first());
                n++;
                steps += s.stepCount();
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            String row = String.format(Locale.ROOT, "| up to %,d bytes | %,d | %.0f | %,.0f | %.1f |%n", len, n, secs, n / secs,
                    (double) steps / Math.max(n, 1));
            System.out.print(row);
            md.append(row);
        }
        md.append('\n');
    }
}
