package cdna.check;

import cdna.design.Design;
import cdna.design.DesignFiles;
import cdna.design.Switch;
import cdna.json.InputException;
import cdna.report.TraceFiles;
import cdna.trace.TraceExplainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Checks one manifest model: applies its design to its cfg, runs TLC until
 * every expected property has a verdict, and saves each counterexample.
 *
 * Invariants are checked together: a violation names its invariant, which is
 * then dropped and the rest re-checked.  TLC names a violated action or
 * temporal property only by source location, and two refinement properties
 * share one, so each PROPERTY gets a run of its own.  Invariants in the cfg
 * that the manifest does not name (TypeOK) are always checked; their
 * violation makes every open verdict an error.  A violation found with more
 * than one worker is re-run with one, since only a single-worker
 * breadth-first search guarantees the shortest counterexample.
 */
public final class ModelChecker {
    /**
     * @param root       the project root (model-check/, specs/ under it)
     * @param reports    where traces go (reports/)
     * @param work       scratch space for generated cfgs, logs and metadirs
     * @param budgetScale multiplies every model's time budget
     */
    public record Settings(Path root, Path reports, Path work, int workers, TlcRunner.Launcher launcher,
                           double budgetScale, boolean symmetry) {
        public Settings(Path root, Path reports, Path work, int workers, TlcRunner.Launcher launcher, double budgetScale) {
            this(root, reports, work, workers, launcher, budgetScale, true);
        }
        public Path modelCheck() { return root.resolve("model-check"); }
        public Path specs() { return root.resolve("specs"); }
        public List<Path> libraryPath() { return List.of(modelCheck(), specs()); }
    }

    private final Settings s;
    private final TlcRunner runner;
    private final DesignFiles designs;

    public ModelChecker(Settings s) {
        this.s = s;
        this.runner = new TlcRunner(s.launcher());
        this.designs = new DesignFiles(s.modelCheck().resolve("designs"));
    }

    /** Results for a manifest entry that could not be read: one error per property it names, or one for the entry. */
    public static List<PropertyResult> malformed(Manifest.Entry e) {
        return List.of(new PropertyResult(e.name(), null, "(entry)", null, "holds", "error", -1, null, 0, null, null,
                e.error(), List.of(), null));
    }

    public List<PropertyResult> check(Manifest.Model m, Consumer<String> progress) {
        long deadline = System.nanoTime() + (long) (m.timeBudgetSeconds() * s.budgetScale() * 1e9);
        Map<String, PropertyResult> results = new LinkedHashMap<>();
        Design design;
        Cfg cfg;
        Path module = s.modelCheck().resolve(m.module());
        try {
            if (!Files.isRegularFile(module)) {
                throw new InputException(m.where() + ": module " + module + " not found");
            }
            design = designs.load(m.design());
            cfg = Cfg.read(s.modelCheck().resolve(m.cfg()));
            for (String p : m.expected().keySet()) {
                if (!cfg.invariants().contains(p) && !cfg.properties().contains(p)) {
                    throw new InputException(m.where() + ": property " + p + " is neither an INVARIANT nor a PROPERTY of "
                            + cfg.source());
                }
            }
        } catch (InputException e) {
            return allError(m, null, "error", e.getMessage(), List.of());
        }

        Map<String, String> overrides = new LinkedHashMap<>();
        for (Switch sw : Switch.values()) {
            if (cfg.hasConstant(sw.name())) overrides.put(sw.name(), sw.toTla(design.get(sw)));
        }
        // TypeOK-style invariants are always checked: their violation means the model, not the design, is wrong.
        // Other invariants of the cfg that the manifest does not name are not checked for this model.
        List<String> sanity = new ArrayList<>();
        for (String i : cfg.invariants()) if (!m.expected().containsKey(i) && i.startsWith("TypeOK")) sanity.add(i);
        List<String> openInv = new ArrayList<>();
        List<String> openProp = new ArrayList<>();
        for (String p : m.expected().keySet()) {
            if (cfg.invariants().contains(p)) openInv.add(p); else openProp.add(p);
        }

        int round = 0;
        Path modelWork = s.work().resolve(m.name());
        try {
            deleteTree(modelWork);
        } catch (IOException e) {
            return allError(m, design, "error", "cannot clear " + modelWork + ": " + e.getMessage(), List.of());
        }
        while (!openInv.isEmpty() || !openProp.isEmpty()) {
            round++;
            List<String> invs = new ArrayList<>(sanity);
            invs.addAll(openInv);
            List<String> props = openProp.isEmpty() ? List.of() : List.of(openProp.get(0));
            List<String> deciding = new ArrayList<>(openInv);
            deciding.addAll(props);
            double left = (deadline - System.nanoTime()) / 1e9;
            if (left <= 0) {
                for (String p : deciding) {
                    results.put(p, row(m, design, p, cfg, "timeout", null, 0, "the model's time budget of "
                            + m.timeBudgetSeconds() + " s was used up before this property was checked", List.of(), null));
                }
                openInv.clear();
                openProp.removeAll(props);
                continue;
            }
            progress.accept(m.name() + ": round " + round + " checking " + deciding);
            Attempt a;
            try {
                a = attempt(m, cfg, overrides, invs, props, modelWork.resolve("round-" + round), s.workers(), left);
                if (a.outcome.isViolation() && s.workers() > 1) {
                    double left2 = Math.max(1, (deadline - System.nanoTime()) / 1e9);
                    Attempt b = attempt(m, cfg, overrides, invs, props, modelWork.resolve("round-" + round + "-shortest"),
                            1, left2);
                    List<String> cmds = new ArrayList<>(a.commands);
                    cmds.addAll(b.commands);
                    a = new Attempt(b.outcome, cmds, a.seconds + b.seconds);
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
                    boolean inRange = !s.symmetry() || (o.distinct() >= m.minStates() && o.distinct() <= m.maxStates());
                    String msg = inRange ? null : "distinct states " + o.distinct() + " outside the manifest's range ["
                            + m.minStates() + ", " + m.maxStates() + "]";
                    for (String p : deciding) {
                        results.put(p, row(m, design, p, cfg, "holds", o, a.seconds, msg, a.commands, inRange));
                    }
                    openInv.clear();
                    openProp.removeAll(props);
                }
                case INVARIANT_VIOLATED, PROPERTY_VIOLATED -> {
                    String name = o.kind() == Outcome.Kind.INVARIANT_VIOLATED ? o.violated() : props.isEmpty() ? null : props.get(0);
                    if (name != null && sanity.contains(name)) {
                        for (String p : deciding) {
                            results.put(p, row(m, design, p, cfg, "error", o, a.seconds, "sanity invariant " + name
                                    + " is violated, so the model itself is wrong", a.commands, null));
                        }
                        openInv.clear();
                        openProp.removeAll(props);
                        break;
                    }
                    if (name == null || (!openInv.contains(name) && !props.contains(name))) {
                        for (String p : deciding) {
                            results.put(p, row(m, design, p, cfg, "error", o, a.seconds, "TLC reported a violation of "
                                    + o.violated() + ", which this run did not ask for", a.commands, null));
                        }
                        openInv.clear();
                        openProp.removeAll(props);
                        break;
                    }
                    TraceFiles.Saved saved;
                    try {
                        saved = saveTrace(m, design, name, cfg, overrides, o, modelWork.resolve("round-" + round + "-explain"));
                    } catch (IOException e) {
                        saved = new TraceFiles.Saved(null, null, "could not save the trace: " + e.getMessage(), List.of());
                    }
                    List<String> cmds = new ArrayList<>(a.commands);
                    cmds.addAll(saved.commands());
                    results.put(name, new PropertyResult(m.name(), design.name(), name, kind(cfg, name),
                            m.expected().get(name).name(), "violated", o.distinct(), o.trace().size(), a.seconds,
                            saved.json(), saved.text(), "counterexample of " + o.trace().size() + " states"
                            + (saved.note() == null ? "" : "; " + saved.note()), cmds, null, replay(saved)));
                    openInv.remove(name);
                    openProp.remove(name);
                }
                default -> {
                    String verdict = o.kind() == Outcome.Kind.TIMEOUT ? "timeout" : "error";
                    for (String p : deciding) {
                        results.put(p, row(m, design, p, cfg, verdict, o, a.seconds, o.kind() + ": " + o.message(),
                                a.commands, null));
                    }
                    openInv.clear();
                    openProp.removeAll(props);
                }
            }
        }
        List<PropertyResult> out = new ArrayList<>();
        for (String p : m.expected().keySet()) out.add(results.get(p));
        return out;
    }

    private record Attempt(Outcome outcome, List<String> commands, double seconds) {}

    private Attempt attempt(Manifest.Model m, Cfg cfg, Map<String, String> overrides, List<String> invs,
                            List<String> props, Path dir, int workers, double seconds) throws IOException {
        Files.createDirectories(dir);
        Path gen = dir.resolve(m.cfg().replace('/', '_'));
        Files.writeString(gen, cfg.render(overrides, invs, props, "model " + m.name() + ", design " + m.design()
                + (s.symmetry() ? "" : ", SYMMETRY removed"), s.symmetry()));
        TlcRunner.Run run = runner.run(new TlcRunner.Request(s.modelCheck().resolve(m.module()), gen, s.libraryPath(),
                workers, Duration.ofMillis((long) (seconds * 1000)), dir, List.of()));
        Files.writeString(dir.resolve("command.txt"), TlcRunner.shellLine(run.command()) + "\n");
        return new Attempt(Outcome.of(run, s.libraryPath()), List.of(TlcRunner.shellLine(run.command())), run.seconds());
    }

    private TraceFiles.Saved saveTrace(Manifest.Model m, Design d, String property, Cfg cfg, Map<String, String> overrides,
                                       Outcome o, Path work) throws IOException {
        TraceExplainer.Result labels = new TraceExplainer(runner).explain(s.modelCheck().resolve(m.module()), cfg,
                overrides, TraceFiles.withLoopTarget(o), s.libraryPath(), work, Duration.ofMinutes(2));
        return TraceFiles.save(s.root(), s.reports().resolve("traces"), m.name(), d.name(), property, kind(cfg, property),
                o, labels);
    }

    /** Replays a saved counterexample on the Java implementation; never throws, the result says what happened. */
    private String replay(TraceFiles.Saved saved) {
        if (saved.json() == null) return "not replayed: no JSON trace";
        try {
            cdna.conformance.ReplayResult r = cdna.conformance.TraceReplay.replay(s.root(), s.root().resolve(saved.json()));
            return (r.reproduced() ? "reproduced: " : "NOT reproduced: ") + r.summary();
        } catch (InputException e) {
            return "not replayed: " + e.getMessage();
        } catch (RuntimeException e) {
            return "not replayed: the replay failed: " + e;
        }
    }

    private static String kind(Cfg cfg, String p) {
        return cfg.invariants().contains(p) ? "invariant" : "property";
    }

    private static PropertyResult row(Manifest.Model m, Design d, String p, Cfg cfg, String verdict, Outcome o,
                                      double seconds, String msg, List<String> cmds, Boolean inRange) {
        return new PropertyResult(m.name(), d == null ? m.design() : d.name(), p, kind(cfg, p),
                m.expected().get(p).name(), verdict, o == null ? -1 : o.distinct(), o == null ? null : o.depth(),
                seconds, null, null, msg, cmds, inRange);
    }

    private static List<PropertyResult> allError(Manifest.Model m, Design d, String verdict, String msg, List<String> cmds) {
        List<PropertyResult> out = new ArrayList<>();
        for (String p : m.expected().keySet()) {
            out.add(new PropertyResult(m.name(), d == null ? m.design() : d.name(), p, null, m.expected().get(p).name(),
                    verdict, -1, null, 0, null, null, msg, cmds, null));
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
