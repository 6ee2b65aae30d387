package cdna.conformance;

import cdna.check.Cfg;
import cdna.design.Design;
import cdna.json.InputException;
import cdna.json.LocatedJson;
import cdna.migration.Handoff;
import cdna.migration.HandoffChecker;
import cdna.migration.HandoffConfig;
import cdna.migration.HandoffDriver;
import cdna.migration.HandoffState;
import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Spec to implementation for MigrationHandoff: replays a TLC counterexample on
 * the Java twin ({@link Handoff}), one method of the action's name per step,
 * compares every variable after Init and after every step, and requires
 * {@link HandoffChecker} to flag the property TLC found violated at the state
 * where TLC found it.  A MigrationCompletes counterexample is a lasso: its
 * stem is replayed, and from its last state the twin's fair migration steps
 * must get stuck too.
 */
final class MigrationReplay {
    private MigrationReplay() {}

    /** Whether cfg is a MigrationHandoff model. */
    static boolean isMigration(Cfg cfg) { return cfg.hasConstant("GPages"); }

    static ReplayResult replay(Path traceJson, Trace t, Cfg cfg, Design design) throws InputException {
        HandoffConfig config = config(cfg);
        for (Trace.State st : t.states()) checkVariables(st);
        Handoff h = new Handoff(config, design);
        List<String> notes = new ArrayList<>();
        List<String> flagged = new ArrayList<>();
        boolean liveness = t.property().equals(HandoffChecker.MIGRATION_COMPLETES);
        int firstFlag = -1;
        String divergence = compare(t.states().get(0), h);
        if (divergence == null && flags(h, t.property(), 1, flagged, notes)) firstFlag = 1;
        int applied = 0;
        for (int i = 1; i < t.states().size() && divergence == null; i++) {
            Trace.State st = t.states().get(i);
            if (!apply(h, st)) {
                divergence = TraceReplay.where(st) + ": a step of the spec, but Java refuses the step (its method returned false)";
                break;
            }
            applied++;
            divergence = compare(st, h);
            if (divergence == null && firstFlag < 0 && flags(h, t.property(), st.index(), flagged, notes)) firstFlag = st.index();
        }
        int last = t.states().size();
        boolean complete = divergence == null && applied == last - 1;
        String head = t.model() + " " + t.property() + ": ";
        boolean reproduced;
        String summary;
        if (divergence != null) {
            reproduced = false;
            summary = head + "DIVERGES at " + divergence;
        } else if (liveness) {
            String stuck = HandoffChecker.completes(h);
            reproduced = complete && stuck != null;
            if (stuck != null) flagged.add(HandoffChecker.MIGRATION_COMPLETES + "@" + last + " (LIVENESS)");
            summary = head + (reproduced ? "reproduced (" + last + " states agree; from the last, the migration's fair steps are "
                    + stuck + ")" : "NOT REPRODUCED (" + last + " states agree, but from the last the migration completes)");
        } else {
            reproduced = complete && firstFlag == last;
            summary = TraceReplay.safetySummary(head, t.property(), last, complete, firstFlag);
        }
        return new ReplayResult(traceJson.toString(), t.model(), t.design(), t.property(), reproduced, last, applied, divergence,
                flagged, notes, summary);
    }

    /** As {@link TraceReplay#sideBySide}: every state with each variable's spec value beside the twin's, up to a refused step. */
    static List<TraceReplay.StateView> sideBySide(Trace t, Cfg cfg, Design design) throws InputException {
        HandoffConfig config = config(cfg);
        for (Trace.State st : t.states()) checkVariables(st);
        Handoff h = new Handoff(config, design);
        List<TraceReplay.StateView> out = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < t.states().size(); i++) {
            Trace.State st = t.states().get(i);
            String refused = i == 0 || apply(h, st) ? null : "Java refuses the step (its method returned false)";
            List<String> fresh = new ArrayList<>();
            for (var e : HandoffChecker.violations(h).entrySet()) if (seen.add(e.getKey())) fresh.add(e.getKey() + ": " + e.getValue());
            List<TraceReplay.VarView> vars = TraceReplay.varViews(st, HandoffState.VARIABLES, state(h));
            out.add(new TraceReplay.StateView(st.index(), i == 0 ? "Init" : st.label(), vars, fresh, refused));
            if (refused != null) break;
        }
        return out;
    }

    private static boolean flags(Handoff h, String property, int index, List<String> flagged, List<String> notes) {
        Map<String, String> v = HandoffChecker.violations(h);
        for (var e : v.entrySet()) notes.add("state " + index + ": " + e.getKey() + ": " + e.getValue());
        if (!v.containsKey(property)) return false;
        flagged.add(property + "@" + index + " (REACH)");
        return true;
    }

    /** The model's constants; the pages must be 1..n, the guest's 1..g among them. */
    static HandoffConfig config(Cfg cfg) throws InputException {
        ModelSetup.Constants k = new ModelSetup.Constants(cfg);
        int a = pages(cfg, k, "APages");
        int g = pages(cfg, k, "GPages");
        try {
            return new HandoffConfig(a, g, k.integer("MaxWrites"), k.integer("MaxFrames"), k.bool("BHasCdna"), k.bool("MayCancel"));
        } catch (IllegalArgumentException e) {
            throw new InputException(cfg.source() + ": the Java twin cannot be built from these constants: " + e.getMessage());
        }
    }

    private static int pages(Cfg cfg, ModelSetup.Constants k, String name) throws InputException {
        java.util.Set<Integer> s = k.integers(name);
        for (int p = 1; p <= s.size(); p++) {
            if (!s.contains(p)) throw new InputException(cfg.source() + ": expected " + name + " to be 1..n, found " + s);
        }
        return s.size();
    }

    private static void checkVariables(Trace.State st) throws InputException {
        for (String v : HandoffState.VARIABLES) {
            if (st.vars().get(v) == null) {
                throw new InputException(st.vars().where() + ": state " + st.index() + " lacks variable " + v
                        + "; expected the variables " + HandoffState.VARIABLES);
            }
        }
        for (var e : st.vars().fields().entrySet()) {
            if (!HandoffState.VARIABLES.contains(e.getKey())) {
                throw new InputException(e.getValue().where() + ": state " + st.index() + " has \"" + e.getKey()
                        + "\", which is not a variable of MigrationHandoff; expected " + HandoffState.VARIABLES);
            }
        }
    }

    private static String compare(Trace.State st, Handoff h) {
        Map<String, Object> actual = HandoffState.of(h);
        for (String v : HandoffState.VARIABLES) {
            LocatedJson.Node node = st.vars().get(v);
            String d = Values.difference(v, Values.normalize(Values.of(node)), Values.normalize(json(actual.get(v))));
            if (d != null) return TraceReplay.where(st) + ", variable " + v + " (" + node.where() + "): " + d;
        }
        return null;
    }

    /** The twin's state in the spec's variables, normalized as the abstraction of the host machine is. */
    static Map<String, JsonNode> state(Handoff h) {
        Map<String, JsonNode> r = new java.util.LinkedHashMap<>();
        for (var e : HandoffState.of(h).entrySet()) r.put(e.getKey(), Values.normalize(json(e.getValue())));
        return r;
    }

    /** A value of {@link HandoffState} in the JSON form TLC's traces have. */
    static JsonNode json(Object x) {
        var f = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
        if (x instanceof String s) return f.textNode(s);
        if (x instanceof Boolean b) return f.booleanNode(b);
        if (x instanceof Integer i) return f.numberNode((long) i);
        if (x instanceof java.util.Set<?> set) {
            List<JsonNode> xs = new ArrayList<>();
            for (Object e : set) xs.add(json(e));
            return Values.set(xs);
        }
        var a = f.arrayNode();
        for (Object e : (List<?>) x) a.add(json(e));
        return a;
    }

    private static int param(Trace.State st, String name) throws InputException {
        LocatedJson.Node n = st.params().get(name);
        if (n == null) throw new InputException(st.params().where() + ": " + st.action() + " needs parameter " + name);
        return (int) LocatedJson.integer(n, "parameter " + name);
    }

    /** Takes the step into st: the twin's method of the action's name. */
    static boolean apply(Handoff h, Trace.State st) throws InputException {
        List<String> names = HandoffDriver.params(st.action());
        if (names == null) {
            throw new InputException(st.actionNode().where() + ": \"" + st.action() + "\" is not an action of MigrationHandoff");
        }
        int f = names.contains("f") ? param(st, "f") : 0;
        int p = names.contains("p") ? param(st, "p") : 0;
        return HandoffDriver.take(h, st.action(), f, p);
    }
}
