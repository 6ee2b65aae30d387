package cdna.check;

import cdna.design.Design;
import cdna.design.DesignFiles;
import cdna.json.InputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks one model under one design: applies the design to the cfg, runs TLC
 * until every property asked for has a verdict, and saves each counterexample.
 *
 * <p>A model that holds everything is run once, invariants and temporal
 * properties together.  After a violation the violated property is dropped and
 * the rest re-checked.  TLC names a violated invariant, but an action or
 * temporal property only by source location (and two refinement properties
 * share one), so a PROPERTY violation in a run with several properties sends
 * the remaining properties into runs of one PROPERTY each.  Invariants in the
 * cfg that the run does not ask for (TypeOK) are always checked; their
 * violation makes every open verdict an error.  A violation found with more
 * than one worker is re-run with one, since only a single-worker
 * breadth-first search guarantees the shortest counterexample.  The pseudo
 * property {@link Manifest#DEADLOCK} is TLC's deadlock check.  Every run
 * collects TLC's action coverage; a "holds" then goes through
 * {@link VacuityCheck}, which turns it into "vacuous" when the run did not
 * exercise what the property is about.
 */
public final class ModelChecker {
    /** Replays a saved JSON counterexample on the implementation; returns a one-line result, never throws. */
    @FunctionalInterface
    public interface Replayer {
        String replay(Path root, Path traceJson);
    }

    /** What a check tells its caller while it runs (a lambda takes the messages only). */
    @FunctionalInterface
    public interface Listener {
        void message(String text);

        default void progress(String model, TlcRunner.Progress p) {}
    }

    /** A listener for plain messages only. */
    public static Listener messages(java.util.function.Consumer<String> c) {
        return c::accept;
    }

    /**
     * @param root        the project root (model-check/, specs/ under it)
     * @param reports     where traces go (a traces/ directory under it)
     * @param work        scratch space for generated cfgs, logs and metadirs
     * @param budgetScale multiplies every model's time budget
     * @param replayer    replays counterexamples on the implementation (null: not replayed)
     */
    public record Settings(Path root, Path reports, Path work, int workers, TlcRunner.Launcher launcher,
                           double budgetScale, boolean symmetry, Replayer replayer, DistributedTlc.Plan distributed) {
        public Settings(Path root, Path reports, Path work, int workers, TlcRunner.Launcher launcher, double budgetScale) {
            this(root, reports, work, workers, launcher, budgetScale, true, null);
        }
        public Settings(Path root, Path reports, Path work, int workers, TlcRunner.Launcher launcher, double budgetScale,
                        boolean symmetry, Replayer replayer) {
            this(root, reports, work, workers, launcher, budgetScale, symmetry, replayer, null);
        }
        /** These settings with runs of invariants and deadlock on distributed TLC (null: local TLC only). */
        public Settings distributed(DistributedTlc.Plan plan) {
            return new Settings(root, reports, work, workers, launcher, budgetScale, symmetry, replayer, plan);
        }
        public Path modelCheck() { return root.resolve("model-check"); }
        public Path specs() { return root.resolve("specs"); }
        public List<Path> libraryPath() { return List.of(modelCheck(), specs()); }
    }

    private final Settings s;
    private final TlcRunner runner;
    private final DesignFiles designs;
    private final VacuityCheck vacuity;

    /** The settings this checker runs with (its TLC launcher, for other stages' TLC runs). */
    public Settings settings() { return s; }

    public ModelChecker(Settings s) {
        this.s = s;
        this.runner = new TlcRunner(s.launcher());
        this.designs = new DesignFiles(s.modelCheck().resolve("designs"));
        this.vacuity = new VacuityCheck(runner, s);
    }

    /** Results for a manifest entry that could not be read: one error for the entry. */
    public static List<PropertyResult> malformed(Manifest.Entry e) {
        return List.of(PropertyResult.of(e.name(), null, "(entry)", null, "holds", "error", e.error()));
    }

    /** Checks a manifest run, loading its design from model-check/designs/. */
    public List<PropertyResult> check(Manifest.Model m, Listener l) {
        Design design;
        try {
            design = designs.load(m.design());
        } catch (InputException e) {
            return allError(m, null, "error", e.getMessage(), List.of());
        }
        return check(m, design, l);
    }

    /** Checks model m under the given design (which need not be a file of model-check/designs/). */
    public List<PropertyResult> check(Manifest.Model m, Design design, Listener l) {
        long deadline = System.nanoTime() + (long) (m.timeBudgetSeconds() * s.budgetScale() * 1e9);
        Map<String, PropertyResult> results = new LinkedHashMap<>();
        Cfg cfg;
        Path module = s.modelCheck().resolve(m.module());
        try {
            if (!Files.isRegularFile(module)) {
                throw new InputException(m.where() + ": module " + module + " not found");
            }
            cfg = Cfg.read(s.modelCheck().resolve(m.cfg()));
            for (String p : m.expected().keySet()) {
                if (p.equals(Manifest.DEADLOCK)) {
                    if (!cfg.checksDeadlock()) {
                        throw new InputException(m.where() + ": " + m.name() + " expects a verdict on " + Manifest.DEADLOCK
                                + ", but " + cfg.source() + " says CHECK_DEADLOCK FALSE");
                    }
                } else if (!cfg.invariants().contains(p) && !cfg.properties().contains(p)) {
                    throw new InputException(m.where() + ": property " + p + " is neither an INVARIANT nor a PROPERTY of "
                            + cfg.source());
                }
            }
        } catch (InputException e) {
            return allError(m, design, "error", e.getMessage(), List.of());
        }

        Map<String, String> overrides = cfg.designOverrides(design);
        // TypeOK-style invariants are always checked: their violation means the model, not the design, is wrong.
        // Other invariants of the cfg that the run does not name are not checked for this model.
        List<String> sanity = new ArrayList<>();
        for (String i : cfg.invariants()) if (!m.expected().containsKey(i) && i.startsWith("TypeOK")) sanity.add(i);
        List<String> openInv = new ArrayList<>();
        List<String> openProp = new ArrayList<>();
        boolean deadlockOpen = false;
        for (String p : m.expected().keySet()) {
            if (p.equals(Manifest.DEADLOCK)) deadlockOpen = true;
            else if (cfg.invariants().contains(p)) openInv.add(p);
            else openProp.add(p);
        }
        boolean oneAtATime = false;

        int round = 0;
        Path modelWork = s.work().resolve(m.name());
        try {
            deleteTree(modelWork);
        } catch (IOException e) {
            return allError(m, design, "error", "cannot clear " + modelWork + ": " + e.getMessage(), List.of());
        }
        while (!openInv.isEmpty() || !openProp.isEmpty() || deadlockOpen) {
            round++;
            List<String> invs = new ArrayList<>(sanity);
            invs.addAll(openInv);
            List<String> props = openProp.isEmpty() ? List.of() : oneAtATime ? List.of(openProp.get(0)) : List.copyOf(openProp);
            List<String> deciding = new ArrayList<>(openInv);
            deciding.addAll(props);
            if (deadlockOpen) deciding.add(Manifest.DEADLOCK);
            double left = (deadline - System.nanoTime()) / 1e9;
            if (left <= 0) {
                for (String p : deciding) {
                    results.put(p, row(m, design, p, cfg, "timeout", null, 0, "the model's time budget of "
                            + m.timeBudgetSeconds() + " s was used up before this property was checked", List.of(), null));
                }
                openInv.clear();
                openProp.removeAll(props);
                deadlockOpen = false;
                continue;
            }
            l.message(m.name() + ": round " + round + " checking " + deciding);
            Attempt a;
            try {
                a = s.distributed() != null && props.isEmpty()
                        ? attemptDistributed(m, cfg, overrides, invs, modelWork.resolve("round-" + round), left, l)
                        : attempt(m, cfg, overrides, invs, props, modelWork.resolve("round-" + round), s.workers(), left, l);
                boolean attributable = !(a.outcome.kind() == Outcome.Kind.PROPERTY_VIOLATED && props.size() > 1);
                if (a.outcome.isViolation() && attributable && s.workers() > 1 && !a.distributed) {
                    double left2 = Math.max(1, (deadline - System.nanoTime()) / 1e9);
                    Attempt b = attempt(m, cfg, overrides, invs, props, modelWork.resolve("round-" + round + "-shortest"),
                            1, left2, l);
                    List<String> cmds = new ArrayList<>(a.commands);
                    cmds.addAll(b.commands);
                    a = new Attempt(b.outcome, cmds, a.seconds + b.seconds, b.coverage, false);
                }
            } catch (IOException e) {
                for (String p : deciding) {
                    results.put(p, row(m, design, p, cfg, "error", null, 0, "could not run TLC: " + e.getMessage(), List.of(), null));
                }
                break;
            }
            Outcome o = a.outcome;
            switch (o.kind()) {
                case NO_ERROR -> {
                    // the manifest's range is for the model as configured; without symmetry it does not apply
                    boolean ranged = m.maxStates() < Long.MAX_VALUE;
                    boolean inRange = !s.symmetry() || (o.distinct() >= m.minStates() && o.distinct() <= m.maxStates());
                    String msg = inRange ? null : "distinct states " + o.distinct() + " outside the manifest's range ["
                            + m.minStates() + ", " + m.maxStates() + "]";
                    if (a.distributed) {
                        msg = (msg == null ? "" : msg + "; ") + "distributed TLC (" + s.distributed().expectedWorkers()
                                + " workers), a clean and complete run; action coverage not judged (distributed TLC prints none)";
                    }
                    if (!o.warnings().isEmpty()) {
                        msg = (msg == null ? "" : msg + "; ") + "TLC warned: " + String.join(" | ", o.warnings());
                    }
                    List<PropertyResult> holds = new ArrayList<>();
                    for (String p : deciding) {
                        holds.add(row(m, design, p, cfg, "holds", o, a.seconds, msg, a.commands,
                                ranged || !inRange ? inRange : null));
                    }
                    // a "holds" stands only if the run exercised what the properties are about
                    for (PropertyResult r : vacuity.judge(new VacuityCheck.Run(m, design, cfg, overrides, a.coverage,
                            modelWork.resolve("round-" + round + "-witnesses"), deadline, l, a.distributed), holds)) {
                        results.put(r.property(), r);
                    }
                    openInv.clear();
                    openProp.removeAll(props);
                    deadlockOpen = false;
                }
                case INVARIANT_VIOLATED, PROPERTY_VIOLATED, DEADLOCK -> {
                    String name = switch (o.kind()) {
                        case INVARIANT_VIOLATED -> o.violated();
                        case DEADLOCK -> deadlockOpen ? Manifest.DEADLOCK : null;
                        default -> props.size() == 1 ? props.get(0) : null;
                    };
                    if (name == null && o.kind() == Outcome.Kind.PROPERTY_VIOLATED && props.size() > 1) {
                        // TLC does not say which PROPERTY: check them one at a time from now on
                        l.message(m.name() + ": a PROPERTY of " + props + " is violated; checking them one at a time");
                        oneAtATime = true;
                        continue;
                    }
                    if (name != null && sanity.contains(name)) {
                        for (String p : deciding) {
                            results.put(p, row(m, design, p, cfg, "error", o, a.seconds, "sanity invariant " + name
                                    + " is violated, so the model itself is wrong", a.commands, null));
                        }
                        openInv.clear();
                        openProp.removeAll(props);
                        deadlockOpen = false;
                        break;
                    }
                    if (name == null || !deciding.contains(name)) {
                        for (String p : deciding) {
                            results.put(p, row(m, design, p, cfg, "error", o, a.seconds, "TLC reported a violation of "
                                    + o.violated() + ", which this run did not ask for", a.commands, null));
                        }
                        openInv.clear();
                        openProp.removeAll(props);
                        deadlockOpen = false;
                        break;
                    }
                    TraceFiles.Saved saved;
                    try {
                        saved = saveTrace(m, design, name, cfg, overrides, o, modelWork.resolve("round-" + round + "-explain"));
                    } catch (IOException e) {
                        saved = new TraceFiles.Saved(null, null, null, "could not save the trace: " + e.getMessage(), List.of());
                    }
                    List<String> cmds = new ArrayList<>(a.commands);
                    cmds.addAll(saved.commands());
                    Manifest.Expect exp = m.expected().get(name);
                    results.put(name, new PropertyResult(m.name(), design.name(), name, kind(cfg, name),
                            exp == null ? null : exp.name(), "violated", o.distinct(), o.trace().size(), a.seconds,
                            saved.json(), saved.text(), "counterexample of " + o.trace().size() + " states"
                            + (saved.note() == null ? "" : "; " + saved.note()), cmds, null, replay(saved), saved.itf(),
                            a.coverage, List.of()));
                    openInv.remove(name);
                    openProp.remove(name);
                    if (name.equals(Manifest.DEADLOCK)) deadlockOpen = false;
                }
                default -> {
                    String verdict = o.kind() == Outcome.Kind.TIMEOUT ? "timeout" : "error";
                    for (String p : deciding) {
                        results.put(p, row(m, design, p, cfg, verdict, o, a.seconds, o.kind() + ": " + o.message(),
                                a.commands, null));
                    }
                    openInv.clear();
                    openProp.removeAll(props);
                    deadlockOpen = false;
                }
            }
        }
        List<PropertyResult> out = new ArrayList<>();
        for (String p : m.expected().keySet()) {
            PropertyResult r = results.get(p);
            out.add(r != null ? r : row(m, design, p, cfg, "error", null, 0, "not checked: the run was interrupted",
                    List.of(), null));
        }
        return out;
    }

    /**
     * One TLC run (or a run and its single-worker re-run): what it found, and its action coverage (null: none).
     * distributed: the outcome is a clean distributed run's (no coverage), or its irregularity.
     */
    private record Attempt(Outcome outcome, List<String> commands, double seconds, Coverage coverage, boolean distributed) {}

    /**
     * A run on distributed TLC, judged by {@link DistributedTlc#judge}.  A clean run is read as TLC's output; a
     * violation is re-checked by local TLC with one worker, whose outcome (and shortest trace) decides; an irregular
     * run is {@link Outcome.Kind#INCOMPLETE} and not re-checked here: a model big enough to need distribution could
     * take hours locally, so the user decides (the message says how).
     */
    private Attempt attemptDistributed(Manifest.Model m, Cfg cfg, Map<String, String> overrides, List<String> invs,
                                       Path dir, double seconds, Listener l) throws IOException {
        Files.createDirectories(dir);
        Path gen = dir.resolve(m.cfg().replace('/', '_'));
        Files.writeString(gen, cfg.render(overrides, invs, List.of(), "model " + m.name() + ", design " + m.design()
                + (s.symmetry() ? "" : ", SYMMETRY removed"), s.symmetry()));
        DistributedTlc.Run run = new DistributedTlc(s.launcher()).run(new DistributedTlc.Request(
                s.modelCheck().resolve(m.module()), gen, s.libraryPath(), s.distributed(),
                Duration.ofMillis((long) (seconds * 1000)), dir.resolve("distributed"), null, List.of(), null,
                l::message));
        DistributedTlc.Judgement j = DistributedTlc.judge(run, s.distributed());
        List<String> cmds = new ArrayList<>(run.commands());
        switch (j.verdict()) {
            case CLEAN -> {
                Outcome o = Outcome.of(DistributedTlc.asTlcRun(run), s.libraryPath());
                if (o.kind() != Outcome.Kind.NO_ERROR) {
                    o = incomplete("the server's output does not read as a completed run: " + o.message(), o, dir);
                }
                return new Attempt(o, cmds, run.seconds(), null, true);
            }
            case VIOLATION -> {
                l.message(m.name() + ": " + j.cause() + "; re-checking with local TLC for the verdict and the shortest trace");
                double left = Math.max(1, seconds - run.seconds());
                Attempt b = attempt(m, cfg, overrides, invs, List.of(), dir.resolve("local-recheck"), 1, left, l);
                cmds.addAll(b.commands);
                return new Attempt(b.outcome, cmds, run.seconds() + b.seconds, b.coverage, false);
            }
            default -> {
                long[] p = DistributedTlc.progress(run);
                Outcome o = new Outcome(Outcome.Kind.INCOMPLETE, null, null, p == null ? -1 : p[1], p == null ? -1 : p[2],
                        null, List.of(), null, null);
                return new Attempt(incomplete(j.cause(), o, dir), cmds, run.seconds(), null, true);
            }
        }
    }

    private static Outcome incomplete(String cause, Outcome parsed, Path dir) {
        return new Outcome(Outcome.Kind.INCOMPLETE, null, "the distributed run does not count: " + cause
                + " (logs in " + dir.resolve("distributed") + "); re-run it, or check this model with local TLC",
                parsed.generated(), parsed.distinct(), null, List.of(), null, null);
    }

    private Attempt attempt(Manifest.Model m, Cfg cfg, Map<String, String> overrides, List<String> invs,
                            List<String> props, Path dir, int workers, double seconds, Listener l) throws IOException {
        Files.createDirectories(dir);
        Path gen = dir.resolve(m.cfg().replace('/', '_'));
        Files.writeString(gen, cfg.render(overrides, invs, props, "model " + m.name() + ", design " + m.design()
                + (s.symmetry() ? "" : ", SYMMETRY removed"), s.symmetry()));
        // TLC re-runs its liveness pass on the partial graph every minute, which finds a violation early but
        // costs a third of a run that holds; when every PROPERTY here is expected to hold, one pass at the end
        boolean expectHolds = !props.isEmpty() && props.stream().allMatch(p -> m.expected().get(p) == Manifest.Expect.holds);
        List<String> extra = new ArrayList<>(expectHolds ? List.of("-lncheck", "final") : List.of());
        // how often each action fired, for the vacuity check of a run that holds (printed at the end, and each minute)
        if (m.vacuity() != null) extra.addAll(List.of("-coverage", "1"));
        TlcRunner.Run run = runner.run(new TlcRunner.Request(s.modelCheck().resolve(m.module()), gen, s.libraryPath(),
                workers, Duration.ofMillis((long) (seconds * 1000)), dir, extra, p -> l.progress(m.name(), p)));
        Files.writeString(dir.resolve("command.txt"), TlcRunner.shellLine(run.command()) + "\n");
        return new Attempt(Outcome.of(run, s.libraryPath()), List.of(TlcRunner.shellLine(run.command())), run.seconds(),
                Coverage.of(TlcOutput.parse(run.output())), false);
    }

    private TraceFiles.Saved saveTrace(Manifest.Model m, Design d, String property, Cfg cfg, Map<String, String> overrides,
                                       Outcome o, Path work) throws IOException {
        // labelling replays a few states: a second of JVM start-up, where the quick JIT tier alone is faster
        TraceExplainer.Result labels = new TraceExplainer(runner.withJvmArgs("-XX:TieredStopAtLevel=1")).explain(s.modelCheck().resolve(m.module()), cfg,
                overrides, TraceFiles.withLoopTarget(o), s.libraryPath(), work, Duration.ofMinutes(2));
        return TraceFiles.save(s.root(), s.reports().resolve("traces"),
                new TraceFiles.Origin(m.name(), m.template(), m.module(), m.cfg(), d), property, kind(cfg, property), o, labels);
    }

    /** Replays a saved counterexample on the implementation, if a replayer is configured. */
    private String replay(TraceFiles.Saved saved) {
        if (s.replayer() == null) return null;
        if (saved.json() == null) return "not replayed: no JSON trace";
        try {
            return s.replayer().replay(s.root(), s.root().resolve(saved.json()));
        } catch (RuntimeException e) {
            return "not replayed: the replay failed: " + e;
        }
    }

    private static String kind(Cfg cfg, String p) {
        if (p.equals(Manifest.DEADLOCK)) return "deadlock";
        return cfg.invariants().contains(p) ? "invariant" : "property";
    }

    private static PropertyResult row(Manifest.Model m, Design d, String p, Cfg cfg, String verdict, Outcome o,
                                      double seconds, String msg, List<String> cmds, Boolean inRange) {
        Manifest.Expect exp = m.expected().get(p);
        return new PropertyResult(m.name(), d == null ? m.design() : d.name(), p, kind(cfg, p),
                exp == null ? null : exp.name(), verdict, o == null ? -1 : o.distinct(), o == null ? null : o.depth(),
                seconds, null, null, msg, cmds, inRange, null, null);
    }

    private static List<PropertyResult> allError(Manifest.Model m, Design d, String verdict, String msg, List<String> cmds) {
        List<PropertyResult> out = new ArrayList<>();
        for (String p : m.expected().keySet()) {
            Manifest.Expect exp = m.expected().get(p);
            out.add(new PropertyResult(m.name(), d == null ? m.design() : d.name(), p, null, exp == null ? null : exp.name(),
                    verdict, -1, null, 0, null, null, msg, cmds, null, null, null));
        }
        return out;
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (var walk = Files.walk(p)) {
            for (Path x : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(x);
        }
    }
}
