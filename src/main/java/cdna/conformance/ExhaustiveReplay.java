package cdna.conformance;

import cdna.check.Cfg;
import cdna.check.TlcRunner;
import cdna.design.Design;
import cdna.design.Mutant;
import cdna.json.InputException;
import cdna.json.LocatedJson;
import cdna.sim.HostSystem;
import cdna.trace.TlaValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Exhaustive replay, spec to code: every edge of TLC's reachable state graph
 * of a model is replayed on HostSystem from a snapshot of its source state,
 * and after each step the abstraction of the Java state must equal the
 * edge's target state.
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
 * design's switch values and the caller's bound overrides substituted.
 *
 * <p>The replay is a breadth-first search of the dumped graph: an initial node
 * gets a fresh HostSystem (its contexts' owners from the node's ctxOwner); an
 * edge copies its source's snapshot, takes the labelled step with
 * {@link Steps#apply}, and compares {@link Abstraction#of} with the target;
 * the first copy that agrees with a target becomes the target's snapshot.
 * A snapshot is dropped once its node's edges are done.  A mismatch (Java
 * refuses the step, or a variable differs) is reported with the shortest path
 * to its source; the nodes only reachable through mismatches are not covered
 * and their edges are counted as skipped.
 */
public final class ExhaustiveReplay {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The variable the generated module adds to hold the step into a state. */
    static final String LABEL = "exLabel";
    /** At most this many mismatches are kept (all are counted). */
    static final int KEEP = 20;

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
     * @param mismatchCount all mismatches; {@code mismatches} keeps the first {@value #KEEP} in BFS order
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
     */
    public record Dump(Path file, Cfg cfg, Design design, String model, double tlcSeconds, String error, List<String> command) {}

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
        Dump d = dump(cfgName, design, bounds, workDir);
        Result r = replay(d, mutants, checkerQuiet);
        if (r.ok()) Files.deleteIfExists(d.file());  // tens of MB
        return r;
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
        if (MigrationReplay.isMigration(cfg)) {
            throw new InputException(cfg.source() + ": a MigrationHandoff model; state-graph replay drives the host machine "
                    + "(CdnaProtection, IommuProtection and ContextOwnership models), the migration twin is checked by trace validation");
        }
        String mcName = cfg.hasConstant("Protection") ? "MCContextOwnership" : cfg.hasConstant("NPages") ? "MCCdna" : "MCIommu";
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
        t.append("VARIABLE ").append(LABEL).append('\n');
        t.append("EXInit == Init /\\ ").append(LABEL).append(" = [action |-> \"Init\", params |-> [none |-> 0]]\n");
        t.append("EXNext == \\E a \\in DOMAIN TraceActions : \\E x \\in TraceActions[a] :\n");
        t.append("            Fire(a, x) /\\ ").append(LABEL).append("' = [action |-> a, params |-> x]\n");
        t.append("EXSpec == EXInit /\\ [][EXNext]_<<vars, ").append(LABEL).append(">>\n====\n");
        Path module = workDir.resolve(name + ".tla");
        Files.writeString(module, t.toString());
        Path cfgFile = workDir.resolve(name + ".cfg");
        Files.writeString(cfgFile, cfgText);
        return new Labelled(module, cfgFile, List.of(mc, root.resolve("specs").toAbsolutePath()), effective, model);
    }

    /** Has TLC dump the labelled state graph of cfg under design (see {@link #run}) into workDir. */
    public Dump dump(String cfgName, Design design, Map<String, String> bounds, Path workDir) throws IOException, InputException {
        Labelled l = labelled(cfgName, design, bounds, workDir);
        Path dump = workDir.resolve("graph.dot").toAbsolutePath();
        Files.deleteIfExists(dump);
        TlcRunner.Run run = runner.run(new TlcRunner.Request(l.module(), l.cfgFile(), l.lib(), 1, Duration.ofMinutes(10),
                workDir.resolve("tlc"), List.of("-dump", "dot", dump.toString())));
        Files.writeString(workDir.resolve("command.txt"), TlcRunner.shellLine(run.command()) + "\n");
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
        return replay(d.file(), d.cfg(), d.design(), mutants, d.model(), d.tlcSeconds(), d.command(), checkerQuiet);
    }

    private static Result failed(String model, Design design, double tlcSeconds, String error, List<String> command) {
        return new Result(model, design.name(), 0, 0, 0, 0, 0, 0, 0, List.of(), tlcSeconds, 0, 0, error, command);
    }

    /** The dumped graph: nodes (label, expected state, spec-state id) and edges as adjacency arrays. */
    private static final class Graph {
        final List<TlaValue> labels = new ArrayList<>();
        final List<String> ctxOwnerJson = new ArrayList<>();
        final List<Integer> specId = new ArrayList<>();
        final List<String> specStates = new ArrayList<>();
        final Map<String, Integer> specIndex = new HashMap<>();
        final Map<Long, Integer> index = new HashMap<>();
        final List<Integer> initial = new ArrayList<>();
        long[] edgeFrom = new long[1 << 16], edgeTo = new long[1 << 16];
        int edges;
        int[] start, targets;

        void edge(long a, long b) {
            if (edges == edgeFrom.length) {
                edgeFrom = java.util.Arrays.copyOf(edgeFrom, edges * 2);
                edgeTo = java.util.Arrays.copyOf(edgeTo, edges * 2);
            }
            edgeFrom[edges] = a;
            edgeTo[edges++] = b;
        }

        /** Turns the edge list into adjacency arrays; an edge naming an unknown node is a malformed dump. */
        void link() throws InputException {
            int n = labels.size();
            start = new int[n + 1];
            int[] from = new int[edges], to = new int[edges];
            for (int i = 0; i < edges; i++) {
                Integer a = index.get(edgeFrom[i]), b = index.get(edgeTo[i]);
                if (a == null || b == null) throw new InputException("the dump has an edge to or from an unknown node "
                        + (a == null ? edgeFrom[i] : edgeTo[i]));
                from[i] = a;
                to[i] = b;
                start[a + 1]++;
            }
            for (int i = 0; i < n; i++) start[i + 1] += start[i];
            targets = new int[edges];
            int[] fill = start.clone();
            for (int i = 0; i < edges; i++) targets[fill[from[i]]++] = to[i];
            edgeFrom = edgeTo = null;
        }
    }

    /** Replays a dump written by the generated module (exposed for tests of the parser and the comparison). */
    static Result replay(Path dump, Cfg cfg, Design design, Set<Mutant> mutants, String model, double tlcSeconds,
                         List<String> command) throws IOException, InputException {
        return replay(dump, cfg, design, mutants, model, tlcSeconds, command, true);
    }

    static Result replay(Path dump, Cfg cfg, Design design, Set<Mutant> mutants, String model, double tlcSeconds,
                         List<String> command, boolean checkerQuiet) throws IOException, InputException {
        long t0 = System.nanoTime();
        // The variables do not depend on the owners; the machine's config does, so it is built per initial node.
        ModelSetup any = null;
        Graph g = new Graph();
        try (BufferedReader in = Files.newBufferedReader(dump, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                int sp = line.indexOf(' ');
                if (sp <= 0 || !isId(line, sp)) continue;
                long id = Long.parseLong(line.substring(0, sp));
                if (line.startsWith(" -> ", sp)) {
                    int sp2 = line.indexOf(' ', sp + 4);
                    g.edge(id, Long.parseLong(line.substring(sp + 4, sp2)));
                } else if (line.startsWith(" [label=\"", sp)) {
                    String where = dump + ":" + lineNo;
                    Map<String, TlaValue> vars = state(unescape(line, sp + 9), where);
                    TlaValue label = vars.remove(LABEL);
                    if (label == null) throw new InputException(where + ": a node without " + LABEL);
                    if (any == null) any = ModelSetup.build(cfg, design, owners(vars, where));
                    ObjectNode expected = F.objectNode();
                    for (String v : any.variables()) {
                        TlaValue x = vars.get(v);
                        if (x == null) throw new InputException(where + ": the state lacks variable " + v);
                        expected.set(v, Values.normalize(x.toJson()));
                    }
                    if (vars.size() != any.variables().size()) {
                        throw new InputException(where + ": the state has variables " + vars.keySet() + ", expected " + any.variables());
                    }
                    if (g.index.put(id, g.labels.size()) != null) throw new InputException(where + ": node " + id + " twice");
                    String key = expected.toString();
                    Integer sid = g.specIndex.get(key);
                    if (sid == null) {
                        sid = g.specStates.size();
                        g.specIndex.put(key, sid);
                        g.specStates.add(key);
                    }
                    g.specId.add(sid);
                    g.labels.add(label);
                    boolean init = "Init".equals(action(label));
                    g.ctxOwnerJson.add(init ? JSON.writeValueAsString(vars.get("ctxOwner").toJson()) : null);
                    if (init) g.initial.add(g.labels.size() - 1);
                }
            }
        }
        g.link();
        g.specIndex.clear();
        double parseSeconds = (System.nanoTime() - t0) / 1e9;
        if (g.initial.isEmpty()) {
            return new Result(model, design.name(), g.labels.size(), g.specStates.size(), g.edges, 0, 0, 0, 0, List.of(),
                    tlcSeconds, parseSeconds, 0, "the dump has no initial state", command);
        }
        long t1 = System.nanoTime();
        Replay r = new Replay(g, cfg, design, mutants, checkerQuiet);
        r.run();
        double replaySeconds = (System.nanoTime() - t1) / 1e9;
        return new Result(model, design.name(), g.labels.size(), g.specStates.size(), g.edges, r.replayed, r.covered,
                r.coveredSpec.cardinality(), r.mismatchCount, List.copyOf(r.mismatches), tlcSeconds, parseSeconds, replaySeconds,
                null, command);
    }

    /** The BFS over the dumped graph with one Java snapshot per queued node. */
    private static final class Replay {
        final Graph g;
        final Cfg cfg;
        final Design design;
        final Set<Mutant> mutants;
        final int n;
        final HostSystem[] snapshot;
        final ModelSetup[] setup;
        final int[] parent;
        final byte[] status;  // 0 unseen, 1 queued with a snapshot, 2 done
        final Trace.State[] steps;
        final java.util.BitSet coveredSpec = new java.util.BitSet();
        final List<Mismatch> mismatches = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        final Map<String, ModelSetup> setups = new HashMap<>();
        long replayed, covered, mismatchCount;

        final boolean checkerQuiet;

        Replay(Graph g, Cfg cfg, Design design, Set<Mutant> mutants, boolean checkerQuiet) {
            this.checkerQuiet = checkerQuiet;
            this.g = g;
            this.cfg = cfg;
            this.design = design;
            this.mutants = mutants;
            n = g.labels.size();
            snapshot = new HostSystem[n];
            setup = new ModelSetup[n];
            parent = new int[n];
            status = new byte[n];
            steps = new Trace.State[n];
        }

        void run() throws InputException {
            ArrayDeque<Integer> queue = new ArrayDeque<>();
            for (int i : g.initial) {
                parent[i] = -1;
                LocatedJson.Obj owners = LocatedJson.object(LocatedJson.parse("ctxOwner of an initial state", g.ctxOwnerJson.get(i)),
                        "ctxOwner");
                List<String> list = new ArrayList<>();
                for (var e : owners.fields().entrySet()) list.add(LocatedJson.string(e.getValue(), "ctxOwner[" + e.getKey() + "]"));
                ModelSetup m = setups.get(list.toString());
                if (m == null) {
                    // ModelSetup lists contexts in the cfg's order; the owners must follow it
                    ModelSetup probe = ModelSetup.build(cfg, design, list);
                    List<String> ordered = new ArrayList<>();
                    for (String c : probe.config().contexts()) ordered.add(LocatedJson.string(owners.get(c), "ctxOwner[" + c + "]"));
                    m = ModelSetup.build(cfg, design, ordered);
                    setups.put(list.toString(), m);
                }
                HostSystem sys = new HostSystem(m.config(), design, mutants);
                String d = difference(sys, m, i);
                if (d != null) {
                    mismatch(i, -1, "Init", d);
                    continue;
                }
                accept(i, -1, sys, m, queue);
            }
            while (!queue.isEmpty()) {
                int s = queue.poll();
                HostSystem from = snapshot[s];
                ModelSetup m = setup[s];
                for (int k = g.start[s]; k < g.start[s + 1]; k++) {
                    int t = g.targets[k];
                    replayed++;
                    HostSystem sys = from.copy();
                    Trace.State st = step(t);
                    notes.clear();
                    String refused = Steps.apply(sys, m, st, notes);
                    String d = refused != null ? refused : difference(sys, m, t);
                    if (d == null && checkerQuiet) d = flagged(from, sys);
                    if (d != null) {
                        mismatch(s, t, st.label(), d);
                        continue;
                    }
                    if (status[t] == 0) accept(t, s, sys, m, queue);
                }
                snapshot[s] = null;
                status[s] = 2;
            }
            for (int i = 0; i < n; i++) {
                if (status[i] == 0) continue;
                covered++;
                coveredSpec.set(g.specId.get(i));
            }
        }

        private void accept(int node, int from, HostSystem sys, ModelSetup m, ArrayDeque<Integer> queue) {
            snapshot[node] = sys;
            setup[node] = m;
            parent[node] = from;
            status[node] = 1;
            queue.add(node);
        }

        /**
         * Null if the step made the Java isolation checker flag nothing new, else
         * what it flagged: the dumped models are of safe designs, where TLC found
         * every invariant to hold in every state, so the Java machine's own check
         * of what its DMA really touched must agree (memory contents are not in
         * the abstraction, so this is what sees a DMA that strays within a page).
         */
        private static String flagged(HostSystem before, HostSystem after) {
            List<cdna.sim.Violation> vs = after.checker().violations();
            int seen = before.checker().violations().size();
            if (vs.size() <= seen) return null;
            cdna.sim.Violation v = vs.get(seen);
            return "the Java checker flags " + v.property() + " (" + v.kind() + "): " + v.detail()
                    + ", where TLC found every invariant to hold";
        }

        /** Null if the Java state abstracts to the node's spec state, else the first differing variable. */
        private String difference(HostSystem sys, ModelSetup m, int node) {
            Map<String, JsonNode> actual = Abstraction.of(sys, m);
            ObjectNode o = F.objectNode();
            for (String v : m.variables()) o.set(v, actual.get(v));
            String expected = g.specStates.get(g.specId.get(node));
            if (o.toString().equals(expected)) return null;
            try {
                JsonNode e = JSON.readTree(expected);
                for (String v : m.variables()) {
                    String d = Values.difference(v, Values.normalize(e.get(v)), actual.get(v));
                    if (d != null) return "the target state differs: " + d.replace("trace has", "TLC has");
                }
            } catch (IOException x) {
                return "the target state differs (unreadable: " + x.getMessage() + ")";
            }
            return "the target state differs";
        }

        private void mismatch(int source, int target, String step, String detail) throws InputException {
            mismatchCount++;
            if (mismatches.size() >= KEEP) return;
            List<String> path = new ArrayList<>();
            for (int x = target < 0 ? -1 : source; x >= 0 && parent[x] >= 0; x = parent[x]) path.add(0, step(x).label());
            mismatches.add(new Mismatch(path.size(), path, step, detail));
        }

        /** The step into node t, as Steps reads it (built once per node). */
        private Trace.State step(int t) throws InputException {
            Trace.State st = steps[t];
            if (st != null) return st;
            TlaValue label = g.labels.get(t);
            String a = action(label);
            TlaValue params = label instanceof TlaValue.Rec r ? r.fields().get("params") : null;
            String src = "the step into dump node " + t;
            LocatedJson.Node an = LocatedJson.parse(src, JSON.valueToTree(a).toString());
            LocatedJson.Obj p = LocatedJson.object(LocatedJson.parse(src, params == null ? "{}" : params.toJson().toString()), "params");
            LocatedJson.Obj none = LocatedJson.object(LocatedJson.parse(src, "{}"), "vars");
            st = new Trace.State(t + 1, a, an, p, none);
            steps[t] = st;
            return st;
        }
    }

    private static String action(TlaValue label) {
        return label instanceof TlaValue.Rec r && r.fields().get("action") instanceof TlaValue.Str s ? s.value() : "?";
    }

    private static List<String> owners(Map<String, TlaValue> vars, String where) throws InputException {
        TlaValue v = vars.get("ctxOwner");
        if (v == null) throw new InputException(where + ": the state has no ctxOwner");
        List<String> r = new ArrayList<>();
        JsonNode j = v.toJson();
        j.fields().forEachRemaining(e -> r.add(e.getValue().asText()));
        return r;
    }

    private static boolean isId(String line, int end) {
        for (int i = 0; i < end; i++) {
            char c = line.charAt(i);
            if (!(Character.isDigit(c) || (i == 0 && c == '-' && end > 1))) return false;
        }
        return true;
    }

    /** The DOT string starting at {@code from} (after its opening quote), unescaped. */
    static String unescape(String line, int from) {
        StringBuilder sb = new StringBuilder(line.length() - from);
        for (int i = from; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') return sb.toString();
            if (c == '\\' && i + 1 < line.length()) {
                char d = line.charAt(++i);
                sb.append(d == 'n' ? '\n' : d);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** A state as TLC prints it ({@code /\ var = value} conjuncts, a value possibly over several lines), parsed. */
    static Map<String, TlaValue> state(String text, String where) throws InputException {
        Map<String, TlaValue> vars = new LinkedHashMap<>();
        String[] parts = ("\n" + text).split("\n/\\\\ ");
        for (String part : parts) {
            if (part.isBlank()) continue;
            int eq = part.indexOf(" = ");
            if (eq < 0) throw new InputException(where + ": expected \"var = value\", found \"" + part + "\"");
            String var = part.substring(0, eq).strip();
            try {
                vars.put(var, TlaValue.parse(part.substring(eq + 3).replace('\n', ' ').strip()));
            } catch (TlaValue.TlaValueException e) {
                throw new InputException(where + ": variable " + var + ": " + e.getMessage());
            }
        }
        return vars;
    }
}
