package cdna.conformance;

import cdna.check.Cfg;
import cdna.design.Design;
import cdna.json.InputException;
import cdna.json.LocatedJson;
import cdna.provision.ProvisionChecker;
import cdna.provision.ProvisionConfig;
import cdna.provision.ProvisionDriver;
import cdna.provision.ProvisionState;
import cdna.provision.ProvisionedHost;
import cdna.trace.TlaValue;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Spec to implementation for Provisioning: replays a TLC counterexample on the
 * Java twin ({@link ProvisionedHost}), one method of the action's name per
 * step (Tick's new backlog, the guests' choice, read from the next state),
 * compares every variable after Init and after every step, and requires
 * {@link ProvisionChecker} to flag the property TLC found violated at the
 * state where TLC found it.  A NoStarvation counterexample is a lasso: the
 * twin takes every state of it and the step that closes the loop, must come
 * back to the state the loop returns to, and the checker must find a context
 * starved over the loop.
 */
final class ProvisionReplay {
    private ProvisionReplay() {}

    /** Whether cfg is a Provisioning model. */
    static boolean isProvisioning(Cfg cfg) { return cfg.hasConstant("LinkRate"); }

    static ReplayResult replay(Path traceJson, Trace t, Cfg cfg, Design design) throws InputException {
        ProvisionConfig config = config(cfg);
        for (Trace.State st : t.states()) checkVariables(st);
        ProvisionedHost h = new ProvisionedHost(config, design);
        List<String> notes = new ArrayList<>();
        List<String> flagged = new ArrayList<>();
        boolean liveness = t.property().equals(ProvisionChecker.NO_STARVATION);
        int firstFlag = -1;
        List<ProvisionChecker.Moment> moments = new ArrayList<>();
        String divergence = compare(t.states().get(0), h);
        moments.add(ProvisionChecker.Moment.of(h));
        if (divergence == null && flags(h, t.property(), 1, flagged, notes)) firstFlag = 1;
        int applied = 0;
        for (int i = 1; i < t.states().size() && divergence == null; i++) {
            Trace.State st = t.states().get(i);
            if (!apply(h, st.action(), st.params(), st.actionNode(), st)) {
                divergence = TraceReplay.where(st) + ": a step of the spec, but Java refuses the step (its method returned false)";
                break;
            }
            applied++;
            moments.add(ProvisionChecker.Moment.of(h));
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
            String why = loop(t, h, moments);
            reproduced = complete && why != null && !why.startsWith("NOT");
            if (reproduced) flagged.add(ProvisionChecker.NO_STARVATION + "@" + last + " (LIVENESS)");
            summary = head + (reproduced ? "reproduced (" + last + " states agree; over the loop back to state " + t.loopsBackTo()
                    + ", " + why + ")" : "NOT REPRODUCED (" + last + " states agree, but " + why + ")");
        } else {
            reproduced = complete && firstFlag == last;
            summary = TraceReplay.safetySummary(head, t.property(), last, complete, firstFlag);
        }
        return new ReplayResult(traceJson.toString(), t.model(), t.design(), t.property(), reproduced, last, applied, divergence,
                flagged, notes, summary);
    }

    /**
     * The lasso's loop on the twin: the closing step taken, the state it
     * reaches compared with the one the loop returns to, and the checker's
     * starvation judgement over the loop.  Returns why the loop starves a
     * context, or a sentence starting "NOT" saying why it does not show.
     */
    private static String loop(Trace t, ProvisionedHost h, List<ProvisionChecker.Moment> moments) throws InputException {
        if (t.loopsBackTo() == null || t.stutters()) return "NOT a loop the twin can take: the trace " + (t.stutters() ? "stutters" : "has no loop");
        int back = t.loopsBackTo();
        if (back < 1 || back > t.states().size()) return "NOT a loop: it returns to state " + back + ", outside the trace";
        Trace.State target = t.states().get(back - 1);
        if (t.loopStep() == null) return "NOT a loop the twin can take: the step that closes it is not labelled";
        if (!apply(h, t.loopStep().action(), t.loopStep().params(), t.loopStep().actionNode(), target)) {
            return "NOT a loop on Java: it refuses the closing step " + t.loopStep().action();
        }
        moments.add(ProvisionChecker.Moment.of(h));
        String d = compare(target, h);
        if (d != null) return "NOT a loop on Java: the closing step does not return to state " + back + ": " + d;
        String why = ProvisionChecker.starved(h.config(), moments.subList(back - 1, moments.size()), 1);
        return why != null ? why : "NOT starving: the checker finds no context starved over the loop";
    }

    /** As {@link TraceReplay#sideBySide}: every state with each variable's spec value beside the twin's, up to a refused step. */
    static List<TraceReplay.StateView> sideBySide(Trace t, Cfg cfg, Design design) throws InputException {
        ProvisionConfig config = config(cfg);
        for (Trace.State st : t.states()) checkVariables(st);
        ProvisionedHost h = new ProvisionedHost(config, design);
        List<TraceReplay.StateView> out = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < t.states().size(); i++) {
            Trace.State st = t.states().get(i);
            String refused = i == 0 || apply(h, st.action(), st.params(), st.actionNode(), st) ? null
                    : "Java refuses the step (its method returned false)";
            List<String> fresh = new ArrayList<>();
            for (var e : ProvisionChecker.violations(h).entrySet()) if (seen.add(e.getKey())) fresh.add(e.getKey() + ": " + e.getValue());
            Map<String, JsonNode> actual = new java.util.LinkedHashMap<>();
            for (var e : ProvisionState.of(h).entrySet()) actual.put(e.getKey(), Values.normalize(MigrationReplay.json(e.getValue())));
            List<TraceReplay.VarView> vars = TraceReplay.varViews(st, ProvisionState.VARIABLES, actual);
            out.add(new TraceReplay.StateView(st.index(), i == 0 ? "Init" : st.label(), vars, fresh, refused));
            if (refused != null) break;
        }
        return out;
    }

    private static boolean flags(ProvisionedHost h, String property, int index, List<String> flagged, List<String> notes) {
        Map<String, String> v = ProvisionChecker.violations(h);
        for (var e : v.entrySet()) notes.add("state " + index + ": " + e.getKey() + ": " + e.getValue());
        if (!v.containsKey(property)) return false;
        flagged.add(property + "@" + index + " (REACH)");
        return true;
    }

    /**
     * The model's constants.  Ctx must be 1..n; Rate, Burst and MinRate are
     * tuples, which TLC's cfg files cannot hold, so a cfg substitutes an
     * operator of the model module for them (Rate &lt;- SmallRate), and its
     * definition there ({@code SmallRate == <<1, 2, 1>>}) is read.
     */
    static ProvisionConfig config(Cfg cfg) throws InputException {
        ModelSetup.Constants k = new ModelSetup.Constants(cfg);
        Set<Integer> ctx = k.integers("Ctx");
        for (int c = 1; c <= ctx.size(); c++) {
            if (!ctx.contains(c)) throw new InputException(cfg.source() + ": expected Ctx to be 1..n, found " + ctx);
        }
        int n = ctx.size();
        try {
            return new ProvisionConfig(n, k.integer("LinkRate"), tuple(cfg, "Rate", n), tuple(cfg, "Burst", n), tuple(cfg, "MinRate", n),
                    k.integer("W"), k.integer("CounterMax"));
        } catch (IllegalArgumentException e) {
            throw new InputException(cfg.source() + ": the Java twin cannot be built from these constants: " + e.getMessage());
        }
    }

    /** A constant that is a tuple of n naturals, given in the cfg as {@code Name <- Op} with {@code Op == <<...>>} in the model module. */
    private static int[] tuple(Cfg cfg, String name, int n) throws InputException {
        Cfg.Constant c = cfg.constants().get(name);
        if (c == null) throw new InputException(cfg.source() + ": expected a constant " + name + ", found none");
        String where = cfg.source() + ":" + c.line();
        if (!c.substitution()) {
            throw new InputException(where + ": expected " + name + " <- Op, an operator of MCProvisioning.tla defined as a tuple, found "
                    + name + " = " + c.value());
        }
        Path module = Path.of(cfg.source()).resolveSibling("MCProvisioning.tla");
        String text;
        try {
            text = Files.readString(module);
        } catch (IOException e) {
            throw new InputException(where + ": cannot read " + module + " for the definition of " + c.value() + ": " + e.getMessage());
        }
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(c.value().trim()) + "\\s*==\\s*(<<[^\\n]*>>)\\s*$").matcher(text);
        if (!m.find()) {
            throw new InputException(where + ": " + name + " <- " + c.value() + ", but " + module + " has no line "
                    + c.value() + " == <<...>>");
        }
        int line = (int) text.substring(0, m.start()).lines().count() + 1;
        try {
            if (TlaValue.parse(m.group(1)) instanceof TlaValue.Seq s && s.elements().size() == n) {
                int[] out = new int[n + 1];
                for (int i = 0; i < n; i++) {
                    if (!(s.elements().get(i) instanceof TlaValue.Int x) || x.value() < 0 || x.value() > 1000) {
                        throw new InputException(module + ":" + line + ": expected " + c.value() + " to be a tuple of naturals, found " + m.group(1));
                    }
                    out[i + 1] = (int) ((TlaValue.Int) s.elements().get(i)).value();
                }
                return out;
            }
        } catch (TlaValue.TlaValueException e) {
            throw new InputException(module + ":" + line + ": " + c.value() + ": " + e.getMessage());
        }
        throw new InputException(module + ":" + line + ": expected " + c.value() + " to be a tuple of " + n + " naturals (one per context), found "
                + m.group(1));
    }

    private static void checkVariables(Trace.State st) throws InputException {
        for (String v : ProvisionState.VARIABLES) {
            if (st.vars().get(v) == null) {
                throw new InputException(st.vars().where() + ": state " + st.index() + " lacks variable " + v
                        + "; expected the variables " + ProvisionState.VARIABLES);
            }
        }
        for (var e : st.vars().fields().entrySet()) {
            if (!ProvisionState.VARIABLES.contains(e.getKey())) {
                throw new InputException(e.getValue().where() + ": state " + st.index() + " has \"" + e.getKey()
                        + "\", which is not a variable of Provisioning; expected " + ProvisionState.VARIABLES);
            }
        }
    }

    private static String compare(Trace.State st, ProvisionedHost h) {
        Map<String, Object> actual = ProvisionState.of(h);
        for (String v : ProvisionState.VARIABLES) {
            LocatedJson.Node node = st.vars().get(v);
            String d = Values.difference(v, Values.normalize(Values.of(node)), Values.normalize(MigrationReplay.json(actual.get(v))));
            if (d != null) return TraceReplay.where(st) + ", variable " + v + " (" + node.where() + "): " + d;
        }
        return null;
    }

    /** Takes a step: the twin's method of the action's name; for Tick, the backlog is {@code next}'s. */
    private static boolean apply(ProvisionedHost h, String action, LocatedJson.Obj params, LocatedJson.Node actionNode, Trace.State next)
            throws InputException {
        List<String> names = ProvisionDriver.params(action);
        if (names == null) throw new InputException(actionNode.where() + ": \"" + action + "\" is not an action of Provisioning");
        int c = 0;
        if (names.contains("c")) {
            LocatedJson.Node n = params.get("c");
            if (n == null) throw new InputException(params.where() + ": " + action + " needs parameter c");
            c = (int) LocatedJson.integer(n, "parameter c");
        }
        Set<Integer> backlog = new TreeSet<>();
        if (action.equals("Tick")) {
            JsonNode b = Values.normalize(Values.of(next.vars().get("backlog")));
            JsonNode elems = b.has("$set") ? b.get("$set") : b;
            for (JsonNode e : elems) {
                if (!e.canConvertToInt()) throw new InputException(next.vars().get("backlog").where() + ": expected a set of contexts, found " + b);
                backlog.add(e.asInt());
            }
        }
        return ProvisionDriver.take(h, action, c, backlog);
    }
}
