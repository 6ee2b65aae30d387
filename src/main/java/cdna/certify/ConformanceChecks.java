package cdna.certify;

import cdna.check.Manifest;
import cdna.check.TlcRunner;
import cdna.conformance.ExhaustiveReplay;
import cdna.conformance.LoggedRuns;
import cdna.conformance.StepLog;
import cdna.conformance.TraceValidation;
import cdna.design.Design;
import cdna.json.InputException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Spec and code in step, for the design being certified, at small bounds: every edge of the
 * state graph of the small models is replayed on the Java implementation (spec to code,
 * {@link ExhaustiveReplay}), and a seeded run of the implementation on every small model is
 * logged and validated by TLC as a behaviour of its spec (code to spec, {@link TraceValidation}).
 * A disagreement either way means the verdicts of the model checker say nothing about the
 * code, so the certificate cannot stand on them.
 */
public final class ConformanceChecks {
    private ConformanceChecks() {}

    /**
     * One conformance run.
     *
     * @param kind    "exhaustive replay" or "trace validation"
     * @param model   the manifest model it ran on
     * @param size    edges replayed, or log entries validated
     * @param summary one line: what agreed, or the first disagreement, or the error
     * @param command the TLC command line behind it
     * @param skipped not run (the summary says why); only ever for a design already found unsafe, so never behind a certificate
     */
    public record Run(String kind, String model, String cfg, boolean ok, long size, String summary, double seconds, String command,
                      boolean skipped) {
        /** One word for tables: agrees, DISAGREES or skipped. */
        public String outcome() { return skipped ? "skipped" : ok ? "agrees" : "DISAGREES"; }
    }

    /** All conformance runs of a certification. */
    public record Result(List<Run> runs, long seed) {
        public boolean ok() { return runs.stream().allMatch(Run::ok); }

        public List<Run> failing() { return runs.stream().filter(r -> !r.ok()).toList(); }
    }

    /** The small models whose state graph is replayed, with the bounds that keep the replay within seconds. */
    static final Map<String, Map<String, String>> EXHAUSTIVE = Map.of(
            "ownership-small", Map.of(),
            "cdna-small", Map.of("Contexts", "{c1}"),
            "iommu-small", Map.of(),
            "migration-small", Map.of(),
            "migration-small-soft-b", Map.of());

    /** The small models a seeded run of the implementation is validated on (every spec with actions). */
    static final List<String> VALIDATED = List.of("ownership-small", "cdna-small", "iommu-small", "migration-small", "migration-small-soft-b");

    /** Steps of each validated run. */
    static final int STEPS = 150;

    /**
     * For a design already found unsafe, a graph with more edges than this is not replayed: a broken design's state space
     * can be far larger than its baseline's (iommu-lazy-flush: 3,182,268 edges in iommu-small, about a minute of TLC's
     * dump), and its certificate is refused whatever the replay says.  Its dump is stopped once TLC has generated more
     * states (each one an edge) than this.  An edge count, not a time, so that the same design gets the same checks on
     * any machine.
     */
    static final long UNSAFE_REPLAY_EDGES = 1_000_000;

    /**
     * Runs the conformance checks of design on the small models that apply to it, on {@code lanes} lanes (each check is
     * one single-worker TLC run and one replay or validation, independent of the others).
     *
     * @param checkerQuiet whether the design was found safe (then the Java checker must also flag nothing on the replayed graph)
     * @param models       the templates the certification runs (only the small ones among them are used)
     */
    public static Result run(Path root, Manifest manifest, Design design, boolean checkerQuiet, long seed, TlcRunner runner,
                             int lanes, java.util.function.Predicate<Manifest.Template> models, Consumer<String> progress) {
        Path work = root.resolve("target/certify-conformance").resolve(design.name());
        List<cdna.check.Lanes.Job<Run>> jobs = new ArrayList<>();
        for (Manifest.Template t : manifest.templates()) {
            if (!t.profile().equals("small") || t.whyNot(design) != null || !models.test(t)) continue;
            if (EXHAUSTIVE.containsKey(t.name())) {
                jobs.add(new cdna.check.Lanes.Job<>("exhaustive " + t.name(), t.seconds(),
                        () -> exhaustive(root, runner, t, design, checkerQuiet, work)));
            }
            if (VALIDATED.contains(t.name())) {
                jobs.add(new cdna.check.Lanes.Job<>("validate " + t.name(), 1, () -> validate(root, runner, t, design, seed, work)));
            }
        }
        List<Run> runs = new ArrayList<>();
        for (Run r : cdna.check.Lanes.run(jobs, lanes, r -> {
            if (r != null) progress.accept("conformance: " + r.kind() + " on " + r.model() + ": " + r.outcome() + " (" + r.summary() + ")");
        })) {
            if (r != null) runs.add(r);
        }
        return new Result(List.copyOf(runs), seed);
    }

    /** Every edge of t's state graph under design, replayed on the implementation (null once the certification is stopped). */
    private static Run exhaustive(Path root, TlcRunner runner, Manifest.Template t, Design design, boolean checkerQuiet, Path work) {
        if (TlcRunner.stopped()) return null;
        long t0 = System.nanoTime();
        try {
            Path dir = work.resolve("exhaustive-" + t.name());
            // an unsafe design's dump is stopped at the cap: a graph too large to replay costs seconds, not its whole search
            ExhaustiveReplay.Dump d = new ExhaustiveReplay(root, runner).dump(t.cfg(), design, EXHAUSTIVE.get(t.name()), dir,
                    checkerQuiet ? Long.MAX_VALUE : UNSAFE_REPLAY_EDGES);
            long edges = d.overEdges() > 0 ? d.overEdges() : d.error() == null ? ExhaustiveReplay.edgeCount(d.file()) : 0;
            if (!checkerQuiet && edges > UNSAFE_REPLAY_EDGES) {
                java.nio.file.Files.deleteIfExists(d.file());
                String size = d.overEdges() > 0
                        ? String.format(java.util.Locale.ROOT, "more edges than the %,d replayed for such designs (its dump was "
                                + "stopped at %,d)", UNSAFE_REPLAY_EDGES, edges)
                        : String.format(java.util.Locale.ROOT, "%,d edges, over the %,d replayed for such designs", edges, UNSAFE_REPLAY_EDGES);
                return new Run("exhaustive replay", t.name(), t.cfg(), true, 0, String.format(java.util.Locale.ROOT,
                        "skipped: the design is already found unsafe and its graph has %s (bin/cdna replay --exhaustive %s "
                                + "--design %s replays it)", size, t.name(), design.name()), seconds(t0), TlcRunner.shellLine(d.command()), true);
            }
            ExhaustiveReplay.Result x = ExhaustiveReplay.replayAndDrop(d, Set.of(), checkerQuiet);
            String brief = x.error() != null ? "error: " + x.error()
                    : String.format(java.util.Locale.ROOT, "%,d of %,d edges agree (%,d spec states), %,d mismatches%s", x.replayed() - x.mismatchCount(),
                    x.edges(), x.specStates(), x.mismatchCount(), x.mismatches().isEmpty() ? "" : "; first: " + x.mismatches().get(0));
            return new Run("exhaustive replay", t.name(), t.cfg(), x.ok(), x.replayed(), brief, seconds(t0), TlcRunner.shellLine(x.command()), false);
        } catch (IOException | InputException | RuntimeException e) {
            return new Run("exhaustive replay", t.name(), t.cfg(), false, 0, "error: " + e.getMessage(), seconds(t0), "", false);
        }
    }

    /** A seeded run of the implementation on t, logged and validated by TLC (null once the certification is stopped). */
    private static Run validate(Path root, TlcRunner runner, Manifest.Template t, Design design, long seed, Path work) {
        if (TlcRunner.stopped()) return null;
        long t0 = System.nanoTime();
        try {
            StepLog.Log log = LoggedRuns.seeded(root, t.cfg(), design, seed, STEPS, Set.of());
            Path dir = work.resolve("validate-" + t.name());
            StepLog.write(log, dir.resolve("run.ndjson"));
            TraceValidation.Result x = new TraceValidation(root, runner).validate(log, dir);
            return new Run("trace validation", t.name(), t.cfg(), x.valid(), log.size(), x.summary() + " (log " + root.toAbsolutePath()
                    .relativize(dir.resolve("run.ndjson").toAbsolutePath()) + ")", seconds(t0), TlcRunner.shellLine(x.command()), false);
        } catch (IOException | InputException | RuntimeException e) {
            return new Run("trace validation", t.name(), t.cfg(), false, 0, "error: " + e.getMessage(), seconds(t0), "", false);
        }
    }

    private static double seconds(long t0) { return (System.nanoTime() - t0) / 1e9; }
}
