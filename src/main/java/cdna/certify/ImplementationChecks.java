package cdna.certify;

import cdna.design.Design;
import cdna.guest.Adversary;
import cdna.guest.FuzzInputs;
import cdna.sim.Action;
import cdna.sim.Config;
import cdna.sim.HostSystem;
import cdna.sim.RandomSearch;
import cdna.sim.Violation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The implementation half of a certificate: the Java reference implementation
 * runs under the design with the isolation checker judging every step.
 *
 * <ul>
 * <li>Seeded random runs at the TLC model's size and at a roomier one (guests
 *     honest half the time, malicious otherwise; contexts revoked and
 *     reassigned at random moments), as KnownBadDesignsTest does;</li>
 * <li>one long run of many guests and pages with contexts changing hands while
 *     DMA is in flight, as SeededRandomRunsTest does;</li>
 * <li>the saved fuzz corpus (src/test/resources/.../IsolationFuzzTestInputs),
 *     each input's steps replayed on its machine under this design;</li>
 * <li>seeded random migrations on the handoff's twin (cdna.migration), to a
 *     destination with and without CDNA, for the migration's properties.</li>
 * </ul>
 * The first violation of each property is kept, shrunk to a 1-minimal step
 * list, with the run seed that reproduces it.
 */
public final class ImplementationChecks {
    /** Runs per machine of the short random runs, and their length in steps. */
    public static final int RUNS = 150;
    public static final int STEPS = 120;
    /** The long run's length in steps. */
    public static final int LONG_STEPS = 10_000;
    /** Longer runs are reported as they are, not shrunk. */
    static final int MAX_SHRINK = 600;

    /**
     * The first violation of one property.
     *
     * @param source  where it was found ("random run", "long run", "fuzz corpus input NAME")
     * @param runSeed the seed that reproduces a random run (null for a corpus input)
     * @param steps   the steps of the shrunk run, as Java calls
     */
    public record Finding(String property, Violation violation, String source, Long runSeed, Config config, List<String> steps) {}

    /** What the implementation did under the design. */
    public record Result(long seed, int runs, long steps, long accesses, long iommuFaults, long reassignments,
                         int corpusInputs, Map<String, Finding> findings, double seconds) {}

    private ImplementationChecks() {}

    public static Result run(Path root, Design design, long seed, Consumer<String> progress) {
        long t0 = System.nanoTime();
        Map<String, Finding> findings = new LinkedHashMap<>();
        int runs = 0;
        long steps = 0, accesses = 0, faults = 0, reassignments = 0;
        List<Config> machines = List.of(Config.tlcSized(), Config.of(3, 1, 6, 4, 6, 3));
        for (int mi = 0; mi < machines.size(); mi++) {
            Config cfg = machines.get(mi);
            for (int i = 0; i < RUNS; i++) {
                long rs = RandomSearch.runSeed(seed + mi, i);
                RandomSearch.Result r = RandomSearch.run(cfg, design, Adversary.mixed(), rs, STEPS, v -> false, null);
                runs++;
                steps += r.trace().size();
                accesses += r.system().checker().accesses();
                faults += r.system().iommu().faultCount();
                reassignments += r.system().reassignments();
                record(findings, r.system(), "random run", rs, cfg, design, r.trace());
            }
        }
        progress.accept("implementation: " + runs + " random runs done");
        Config big = Config.of(4, 1, 64, 16, 24, 4);
        long ls = RandomSearch.runSeed(seed, -1);
        // stops at the first violation of a property the short runs did not find, so there is a short prefix to shrink
        RandomSearch.Result r = RandomSearch.run(big, design, Adversary.split().revoking(2), ls, LONG_STEPS,
                v -> !findings.containsKey(v.property()), s -> s.checker().every(7, 101));
        runs++;
        steps += r.trace().size();
        accesses += r.system().checker().accesses();
        faults += r.system().iommu().faultCount();
        reassignments += r.system().reassignments();
        record(findings, r.system(), "long run", ls, big, design, r.trace());
        progress.accept("implementation: long run of " + r.trace().size() + " steps done");

        int corpus = 0;
        Path dir = root.resolve("src/test/resources/cdna/guest/IsolationFuzzTestInputs");
        for (FuzzInputs.Target target : FuzzInputs.Target.values()) {
            Path d = dir.resolve(target == FuzzInputs.Target.BASELINES ? "baselines" : "designsBreakOnlyWhatTheyMay");
            if (!Files.isDirectory(d)) continue;
            List<Path> files;
            try (var l = Files.list(d)) {
                files = l.filter(Files::isRegularFile).sorted().toList();
            } catch (IOException e) {
                continue;
            }
            for (Path f : files) {
                byte[] in;
                try {
                    in = Files.readAllBytes(f);
                } catch (IOException e) {
                    continue;
                }
                FuzzInputs.Decoded dec = FuzzInputs.decode(target, in);
                HostSystem s = FuzzInputs.run(dec, design);
                corpus++;
                steps += s.stepCount();
                accesses += s.checker().accesses();
                for (Violation v : s.checker().violations()) {
                    if (findings.containsKey(v.property())) continue;
                    findings.put(v.property(), new Finding(v.property(), v, "fuzz corpus input " + d.getFileName() + "/"
                            + f.getFileName(), null, dec.config(), List.of()));
                }
            }
        }
        progress.accept("implementation: " + corpus + " fuzz corpus inputs replayed");

        int[] migration = migrationRuns(design, seed, findings);
        runs += migration[0];
        steps += migration[1];
        progress.accept("implementation: " + migration[0] + " random migrations done");
        return new Result(seed, runs, steps, accesses, faults, reassignments, corpus, findings, (System.nanoTime() - t0) / 1e9);
    }

    /**
     * Seeded random migrations on the handoff's twin (cdna.migration), to a
     * destination with and without CDNA: every action at any moment, the
     * checker judging every step, and MigrationCompletes judged at the end of
     * every run that was not cancelled.  Returns {runs, steps}.
     */
    static int[] migrationRuns(Design design, long seed, Map<String, Finding> findings) {
        int runs = 0, steps = 0;
        for (boolean cdnaB : new boolean[]{true, false}) {
            for (int i = 0; i < RUNS; i++) {
                long rs = RandomSearch.runSeed(seed + (cdnaB ? 2 : 3), i);
                cdna.migration.Handoff h = new cdna.migration.Handoff(new cdna.migration.HandoffConfig(4, 2, 4, 2, cdnaB, true), design);
                java.util.SplittableRandom rnd = new java.util.SplittableRandom(rs);
                List<String> taken = new ArrayList<>();
                for (int k = 0; k < STEPS; k++) {
                    String step = cdna.migration.HandoffDriver.randomStep(h, rnd);
                    if (step == null) break;
                    taken.add(step);
                    for (var e : cdna.migration.HandoffChecker.violations(h).entrySet()) {
                        migrationFinding(findings, e.getKey(), e.getValue(), rs, cdnaB, taken);
                    }
                }
                if (!h.isCancelled()) {
                    String stuck = cdna.migration.HandoffChecker.completes(h);
                    if (stuck != null) migrationFinding(findings, cdna.migration.HandoffChecker.MIGRATION_COMPLETES, stuck, rs, cdnaB, taken);
                }
                runs++;
                steps += taken.size();
            }
        }
        return new int[]{runs, steps};
    }

    private static void migrationFinding(Map<String, Finding> findings, String property, String why, long runSeed, boolean cdnaB,
                                         List<String> taken) {
        if (findings.containsKey(property)) return;
        Violation v = new Violation(property, property.equals(cdna.migration.HandoffChecker.MIGRATION_COMPLETES)
                ? Violation.Kind.LIVENESS : Violation.Kind.REACH, taken.size(), taken.isEmpty() ? "Init" : taken.get(taken.size() - 1),
                null, cdna.migration.Handoff.M, -1, 0, null, why);
        findings.put(property, new Finding(property, v, "random migration to a destination " + (cdnaB ? "with" : "without") + " CDNA",
                runSeed, null, List.copyOf(taken)));
    }

    private static void record(Map<String, Finding> findings, HostSystem s, String source, long runSeed, Config cfg,
                               Design design, List<Action> trace) {
        for (Violation v : s.checker().violations()) {
            if (findings.containsKey(v.property())) continue;
            // delta debugging replays the run many times: worth it for short runs only
            List<Action> shrunk = trace.size() <= MAX_SHRINK ? RandomSearch.shrink(cfg, design, trace, RandomSearch.of(v.property(), null))
                    : trace;
            List<String> java = new ArrayList<>();
            for (Action a : shrunk) java.add(a.toJava());
            findings.put(v.property(), new Finding(v.property(), v, source, runSeed, cfg, java));
        }
    }
}
