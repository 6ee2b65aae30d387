package cdna.conformance;

import cdna.check.Cfg;
import cdna.check.TlcRunner;
import cdna.design.Design;
import cdna.design.Mutant;
import cdna.json.InputException;
import cdna.sim.HostSystem;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Exhaustive replay, spec to code: every edge of TLC's reachable state graph
 * of a model is replayed on the Java implementation (the host machine, or the
 * migration twin) from a snapshot of its source state, and after each step the
 * Java state, in the spec's variables, must equal the edge's target state.
 *
 * <p>TLC's {@code -dump dot} labels edges with nothing, and
 * {@code actionlabels} only with the action's name, so the graph is taken from
 * a generated module that extends the MC module with one variable,
 * {@code exLabel}, holding the action instance (name and parameters, from the
 * module's {@code TraceActions}/{@code Fire} table) that produced the state.
 * Every node of the dump then carries the step into it.  A spec state reached
 * by k different action instances is k nodes (the same spec state, different
 * labels), each with the same successors: all of them are replayed, each from
 * the Java state of its own BFS path, and the distinct spec states (nodes
 * without the label) are counted separately.  The cfg is the model's without
 * SYMMETRY, VIEW and properties (a reduced graph merges states), with the
 * design's switches and the caller's bound overrides substituted.  The stages:
 * this class writes the module and has TLC dump the graph, {@link StateGraph}
 * reads it, {@link GraphReplay} walks it on a {@link Twin}.
 */
public final class ExhaustiveReplay {

    /** One edge the Java machine did not follow: the path to its source, the step, and what went wrong. */
    public record Mismatch(int depth, List<String> path, String step, String detail) {
        @Override public String toString() {
            return "after " + (path.isEmpty() ? "Init" : String.join(" ; ", path)) + ": step " + step + ": " + detail;
        }
    }

    /**
     * What a replay found.
     *
     * @param nodes        nodes of the dump (spec state and the label of the step into it)
     * @param specStates   distinct spec states among them (the label dropped)
     * @param edges        edges of the dump
     * @param replayed     edges replayed (equal to edges unless a mismatch cut nodes off)
     * @param covered      nodes reached by the replay with agreeing Java states
     * @param coveredSpecStates distinct spec states among the covered nodes
     * @param mismatchCount all mismatches; {@code mismatches} keeps the first {@value GraphReplay#KEEP} in BFS order
     * @param error        null, or why no replay happened (TLC failed, the dump is malformed)
     */
    public record Result(String model, String design, long nodes, long specStates, long edges, long replayed, long covered,
                         long coveredSpecStates, long mismatchCount, List<Mismatch> mismatches, double tlcSeconds,
                         double parseSeconds, double replaySeconds, String error, List<String> command) {
        public double edgesPerSecond() { return replayed / Math.max(replaySeconds, 1e-9); }

        public boolean ok() { return error == null && mismatchCount == 0 && replayed == edges && covered == nodes; }

        public String summary() {
            if (error != null) return model + " under " + design + ": not replayed: " + error;
            return String.format("%s under %s: %,d edges replayed of %,d, %,d of %,d nodes covered (%,d of %,d distinct spec states), "
                            + "%d mismatches; TLC %.1f s, parse %.1f s, replay %.1f s (%,.0f edges/s)",
                    model, design, replayed, edges, covered, nodes, coveredSpecStates, specStates, mismatchCount, tlcSeconds,
                    parseSeconds, replaySeconds, edgesPerSecond())
                    + (mismatches.isEmpty() ? "" : "; first: " + mismatches.get(0));
        }
    }

    private final Path root;
    private final TlcRunner runner;

    public ExhaustiveReplay(Path root, TlcRunner runner) {
        this.root = root;
        this.runner = runner;
    }

    /**
     * A dumped state graph: the dot file, the cfg as TLC ran it (constants
     * overridden), the design; or, if TLC failed, why.
     *
     * @param overEdges 0 for a complete graph; else the dump was stopped once TLC had generated this many
     *                  states, over the cap asked for (each generated state is an edge of the graph), and the
     *                  partial file must not be replayed
     */
    public record Dump(Path file, Cfg cfg, Design design, String model, double tlcSeconds, String error, List<String> command,
                       long overEdges) {
        public Dump(Path file, Cfg cfg, Design design, String model, double tlcSeconds, String error, List<String> command) {
            this(file, cfg, design, model, tlcSeconds, error, command, 0);
        }
    }

    /**
     * Dumps the state graph of cfg (under model-check/) under design, with the
     * constants in {@code bounds} replacing the cfg's, and replays it on a
     * HostSystem carrying {@code mutants} (empty outside tests).  The dump is
     * deleted after a clean replay and kept after a failing one.
     */
    public Result run(String cfgName, Design design, Map<String, String> bounds, Set<Mutant> mutants, Path workDir)
            throws IOException, InputException {
        return run(cfgName, design, bounds, mutants, true, workDir);
    }

    /** As {@link #run(String, Design, Map, Set, Path)}, the Java checker required quiet or not (see {@link #replay(Dump, Set, boolean)}). */
    public Result run(String cfgName, Design design, Map<String, String> bounds, Set<Mutant> mutants, boolean checkerQuiet, Path workDir)
            throws IOException, InputException {
        return replayAndDrop(dump(cfgName, design, bounds, workDir), mutants, checkerQuiet);
    }

    /**
     * The generated module of a model with the step into each state as a variable, its cfg (the
     * model's constants with the design's switches and the bound overrides, no SYMMETRY, VIEW or
     * properties), the library path, and the constants as the run has them.
     */
    record Labelled(Path module, Path cfgFile, List<Path> lib, Cfg effective, String model) {}

    /** Writes the labelled module and cfg of cfg (under model-check/) under design into workDir. */
    Labelled labelled(String cfgName, Design design, Map<String, String> bounds, Path workDir) throws IOException, InputException {
        Path mc = root.resolve("model-check").toAbsolutePath();
        Cfg cfg = Cfg.read(mc.resolve(cfgName));
        String mcName = FullVirtReplay.isFullVirt(cfg) ? "MCFullVirt" : MigrationReplay.isMigration(cfg) ? "MCMigration"
                : cfg.hasConstant("Protection") ? "MCContextOwnership"
                : cfg.hasConstant("NPages") ? "MCCdna" : "MCIommu";
        Map<String, String> overrides = new TreeMap<>(cfg.designOverrides(design));
        for (var e : bounds.entrySet()) {
            if (!cfg.hasConstant(e.getKey())) throw new InputException(cfg.source() + ": no constant " + e.getKey() + " to override");
            overrides.put(e.getKey(), e.getValue());
        }
        Set<String> declared = new LinkedHashSet<>(cfg.modelValues());
        String cfgText = cfg.renderForExplain(overrides, declared, "EXSpec", "TypeOK") + "CHECK_DEADLOCK FALSE\n";
        // The constants as this run has them, for building the Java machine.
        Cfg effective = Cfg.parse(cfg.source() + " (with " + overrides + ")", cfgText);
        String model = cfgName.replaceFirst("\\.cfg$", "") + (bounds.isEmpty() ? "" : " " + bounds);

        Files.createDirectories(workDir);
        String name = "Exhaustive" + mcName;
        StringBuilder t = new StringBuilder();
        t.append("---- MODULE ").append(name).append(" ----\n");
        t.append("\\* Generated by cdna: ").append(mcName).append(" with the step into each state (action and parameters) as a variable,\n");
        t.append("\\* so TLC's state-graph dump names every edge's action instance.\n");
        t.append("EXTENDS ").append(mcName).append(", TLC\n");
        if (!declared.isEmpty()) t.append("CONSTANTS ").append(String.join(", ", declared)).append('\n');
        t.append("VARIABLE ").append(StateGraph.LABEL).append('\n');
        t.append("EXInit == Init /\\ ").append(StateGraph.LABEL).append(" = [action |-> \"Init\", params |-> [none |-> 0]]\n");
        t.append("EXNext == \\E a \\in DOMAIN TraceActions : \\E x \\in TraceActions[a] :\n");
        t.append("            Fire(a, x) /\\ ").append(StateGraph.LABEL).append("' = [action |-> a, params |-> x]\n");
        t.append("EXSpec == EXInit /\\ [][EXNext]_<<vars, ").append(StateGraph.LABEL).append(">>\n====\n");
        Path module = workDir.resolve(name + ".tla");
        Files.writeString(module, t.toString());
        Path cfgFile = workDir.resolve(name + ".cfg");
        Files.writeString(cfgFile, cfgText);
        return new Labelled(module, cfgFile, List.of(mc, root.resolve("specs").toAbsolutePath()), effective, model);
    }

    /** The edges of a dumped graph, counted without parsing it (one {@code ->} line each). */
    public static long edgeCount(Path dot) throws IOException {
        try (var lines = Files.lines(dot)) {
            return lines.filter(l -> l.contains(" -> ")).count();
        }
    }

    /** Has TLC dump the labelled state graph of cfg under design (see {@link #run}) into workDir. */
    public Dump dump(String cfgName, Design design, Map<String, String> bounds, Path workDir) throws IOException, InputException {
        return dump(cfgName, design, bounds, workDir, Long.MAX_VALUE);
    }

    /**
     * As {@link #dump(String, Design, Map, Path)}, but TLC is stopped, and the partial dump deleted, as soon as it
     * has generated more than {@code maxEdges} states (sampled every 2 s): for a graph that is only wanted if it is
     * small, so that a large one costs seconds, not the minutes of its whole search.
     */
    public Dump dump(String cfgName, Design design, Map<String, String> bounds, Path workDir, long maxEdges)
            throws IOException, InputException {
        Labelled l = labelled(cfgName, design, bounds, workDir);
        Path dump = workDir.resolve("graph.dot").toAbsolutePath();
        Files.deleteIfExists(dump);
        TlcRunner.Request req = new TlcRunner.Request(l.module(), l.cfgFile(), l.lib(), 1, Duration.ofMinutes(10),
                workDir.resolve("tlc"), List.of("-dump", "dot", dump.toString()));
        if (maxEdges < Long.MAX_VALUE) req = req.stoppingWhen(p -> p.generated() > maxEdges);
        TlcRunner.Run run = runner.run(req);
        Files.writeString(workDir.resolve("command.txt"), TlcRunner.shellLine(run.command()) + "\n");
        if (run.stoppedAt() != null) {
            Files.deleteIfExists(dump);
            return new Dump(dump, l.effective(), design, l.model(), run.seconds(), null, run.command(), run.stoppedAt().generated());
        }
        String error = null;
        if (run.timedOut() || run.exitCode() != 0 || !Files.isRegularFile(dump)) {
            error = "TLC " + (run.timedOut() ? "timed out" : "exited " + run.exitCode())
                    + (Files.isRegularFile(dump) ? "" : " without a dump") + "; log " + run.log();
        }
        return new Dump(dump, l.effective(), design, l.model(), run.seconds(), error, run.command());
    }

    /** Replays a dump on a HostSystem carrying {@code mutants}; the dump is kept. */
    public static Result replay(Dump d, Set<Mutant> mutants) throws IOException, InputException {
        return replay(d, mutants, true);
    }

    /**
     * As {@link #replay(Dump, Set)}; {@code checkerQuiet}: whether the Java checker must flag nothing
     * (true for a design TLC found safe on the model; a known-bad design's graph has the violating
     * states in it, so there only the states are compared).
     */
    public static Result replay(Dump d, Set<Mutant> mutants, boolean checkerQuiet) throws IOException, InputException {
        if (d.error() != null) return failed(d.model(), d.design(), d.tlcSeconds(), d.error(), d.command());
        if (d.overEdges() > 0) {
            return failed(d.model(), d.design(), d.tlcSeconds(), String.format(java.util.Locale.ROOT,
                    "the dump was stopped at %,d edges, over its cap: a partial graph is not replayed", d.overEdges()), d.command());
        }
        return replay(d.file(), d.cfg(), d.design(), mutants, d.model(), d.tlcSeconds(), d.command(), checkerQuiet);
    }

    /** As {@link #replay(Dump, Set, boolean)}, then deletes the dump if the replay was clean (it is kept to look into otherwise). */
    public static Result replayAndDrop(Dump d, Set<Mutant> mutants, boolean checkerQuiet) throws IOException, InputException {
        Result r = replay(d, mutants, checkerQuiet);
        if (r.ok()) Files.deleteIfExists(d.file());  // tens of MB
        return r;
    }

    private static Result failed(String model, Design design, double tlcSeconds, String error, List<String> command) {
        return new Result(model, design.name(), 0, 0, 0, 0, 0, 0, 0, List.of(), tlcSeconds, 0, 0, error, command);
    }

    /** Replays a dump written by the generated module (exposed for tests of the parser and the comparison). */
    static Result replay(Path dump, Cfg cfg, Design design, Set<Mutant> mutants, String model, double tlcSeconds,
                         List<String> command) throws IOException, InputException {
        return replay(dump, cfg, design, mutants, model, tlcSeconds, command, true);
    }

    static Result replay(Path dump, Cfg cfg, Design design, Set<Mutant> mutants, String model, double tlcSeconds,
                         List<String> command, boolean checkerQuiet) throws IOException, InputException {
        long t0 = System.nanoTime();
        Twin<?> twin = Twin.of(cfg, design, mutants);
        StateGraph g = StateGraph.read(dump, twin.variables());
        double parseSeconds = (System.nanoTime() - t0) / 1e9;
        if (g.initial.isEmpty()) {
            return new Result(model, design.name(), g.nodes(), g.specStates.size(), g.edges, 0, 0, 0, 0, List.of(),
                    tlcSeconds, parseSeconds, 0, "the dump has no initial state", command);
        }
        long t1 = System.nanoTime();
        GraphReplay<?> r = new GraphReplay<>(g, twin, checkerQuiet);
        r.run();
        double replaySeconds = (System.nanoTime() - t1) / 1e9;
        return new Result(model, design.name(), g.nodes(), g.specStates.size(), g.edges, r.replayed, r.covered,
                r.coveredSpec.cardinality(), r.mismatchCount, List.copyOf(r.mismatches), tlcSeconds, parseSeconds, replaySeconds,
                null, command);
    }
}
