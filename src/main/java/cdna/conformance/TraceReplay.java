package cdna.conformance;

import cdna.json.InputException;
import cdna.json.LocatedJson;
import cdna.sim.HostSystem;
import cdna.sim.Violation;
import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Spec to implementation: replays a TLC counterexample (reports/traces/*.json)
 * on HostSystem, one spec-named method call per step.  After Init and after
 * every step, HostSystem's spec-state abstraction must equal the trace's
 * variables exactly, and the isolation checker must flag the property TLC
 * found violated at the state where TLC found it.
 *
 * <p>For MCContextOwnership every state holds the variables of both DMA
 * layers (the one the design does not use stays at its Init, and Java must
 * agree) and the ownership and interrupt variables; the pipeline and interrupt
 * actions call HostSystem's methods of the same names.  A NoLostInterrupt
 * counterexample is a lasso and is replayed by {@link LassoReplay}.
 *
 * <p>A MigrationHandoff trace is replayed on the migration's twin by
 * {@link MigrationReplay}, a Provisioning trace on the rate limiters' twin by
 * {@link ProvisionReplay}.
 *
 * <p>All variables are compared, also for models checked with a VIEW: a VIEW
 * only changes which states TLC treats as the same, and the states TLC prints
 * in a counterexample are real states of a real behavior, counters and stale
 * ring slots included.
 */
public final class TraceReplay {
    private TraceReplay() {}

    /** Checker properties a violation of {@code property} must show as. */
    public static Set<String> acceptedFlags(String property) {
        return switch (property) {
            case Violation.INTER -> Set.of(Violation.INTER);
            case Violation.INTRA -> Set.of(Violation.INTRA);
            // ContextOwnership's invariants: the checker states each as the spec does (REACH).
            case Violation.SINGLE_OWNER, Violation.NO_STALE_DMA, Violation.NO_MISDIRECTED_INTERRUPT,
                 Violation.NO_INJECTED_INTERRUPT -> Set.of(property);
            // Only as a lasso (see LassoReplay): a flag alone shows no behaviour that loses the event forever.
            default -> Set.of();
        };
    }

    /**
     * Replays one trace file and says what happened in one line: "reproduced: ...",
     * "NOT reproduced: ..." or "not replayed: ..." (a malformed trace or model).
     * Never throws: the pipeline's replay stage records the line beside the verdict.
     */
    public static String summary(Path projectRoot, Path traceJson) {
        try {
            ReplayResult r = replay(projectRoot, traceJson);
            return (r.reproduced() ? "reproduced: " : "NOT reproduced: ") + r.summary();
        } catch (InputException e) {
            return "not replayed: " + e.getMessage();
        } catch (RuntimeException e) {
            return "not replayed: the replay failed: " + e;
        }
    }

    /**
     * Replays one trace file.
     *
     * @param projectRoot where model-check/ (manifest, cfgs, designs) lives
     * @throws InputException the trace, the manifest entry, the cfg or the design is malformed or missing;
     *                        the message names the file and line and what was expected
     */
    public static ReplayResult replay(Path projectRoot, Path traceJson) throws InputException {
        Trace t = Trace.read(traceJson);
        ModelSetup.Source src = ModelSetup.source(projectRoot, t);
        if (MigrationReplay.isMigration(src.cfg())) return MigrationReplay.replay(traceJson, t, src.cfg(), src.design());
        if (ProvisionReplay.isProvisioning(src.cfg())) return ProvisionReplay.replay(traceJson, t, src.cfg(), src.design());
        if (FullVirtReplay.isFullVirt(src.cfg())) return FullVirtReplay.replay(traceJson, t, src.cfg(), src.design());
        ModelSetup m = ModelSetup.of(projectRoot, t);
        for (Trace.State st : t.states()) checkVariables(st, m);
        if (t.property().equals(Violation.NO_LOST_INTERRUPT)) return LassoReplay.replay(traceJson, t, m);

        HostSystem sys = new HostSystem(m.config(), m.design());
        Flags flags = new Flags();
        List<String> notes = flags.notes;
        Set<String> accepted = acceptedFlags(t.property());
        int firstAccepted = -1;
        String firstAcceptedName = null;
        int applied = 0;
        // TLC checks invariants in the initial state too (NoInjectedInterrupt fails there without remapping).
        for (Violation v : flags.collect(sys, 1)) {
            if (firstAccepted < 0 && accepted.contains(v.property())) {
                firstAccepted = 1;
                firstAcceptedName = v.property();
            }
        }
        String divergence = compare(t.states().get(0), sys, m);
        for (int i = 1; i < t.states().size() && divergence == null; i++) {
            Trace.State st = t.states().get(i);
            divergence = takeStep(sys, m, st, where(st), notes);
            if (divergence != null) break;
            applied++;
            for (Violation v : flags.collect(sys, st.index())) {
                if (firstAccepted < 0 && accepted.contains(v.property())) {
                    firstAccepted = st.index();
                    firstAcceptedName = v.property();
                }
            }
            divergence = compare(st, sys, m);
        }
        List<String> flagged = flags.flagged;

        int last = t.states().size();
        boolean complete = divergence == null && applied == last - 1;
        boolean reproduced = complete && firstAccepted == last;
        if (firstAcceptedName != null && !firstAcceptedName.equals(t.property())) {
            notes.add(t.property() + " shows in the Java checker as " + firstAcceptedName
                    + " (the refined contract's Step requires it in every state)");
        }
        if (t.lasso()) notes.add("the trace is a lasso; its loop step was not replayed");

        String head = t.model() + " " + t.property() + ": ";
        String summary;
        if (divergence != null) {
            summary = head + "DIVERGES at " + divergence;
        } else if (reproduced) {
            summary = head + "reproduced (" + last + " states agree; the checker flags " + firstAcceptedName + " at state " + last + ")";
        } else if (accepted.isEmpty()) {
            summary = head + "NOT REPRODUCED (" + last + " states agree, but the Java checker has no property for " + t.property() + ")";
        } else if (firstAccepted < 0) {
            summary = head + "NOT REPRODUCED (" + last + " states agree, but the checker flags none of " + new TreeSet<>(accepted) + ")";
        } else {
            summary = head + "NOT REPRODUCED (" + last + " states agree, but the checker flags " + firstAcceptedName + " at state "
                    + firstAccepted + ", where TLC found it at state " + last + ")";
        }
        return new ReplayResult(traceJson.toString(), t.model(), t.design(), t.property(), reproduced, last, applied, divergence,
                flagged, notes, summary);
    }

    /** One variable of one state, as the trace has it and as the Java state abstracts to it. */
    public record VarView(String variable, String spec, String java, boolean same) {}

    /**
     * One state of a side-by-side replay: the step into it, every variable, the
     * checker's new violations, and (at the step Java refused) why.
     */
    public record StateView(int index, String step, List<VarView> vars, List<String> flagged, String refused) {}

    /**
     * Replays a trace step by step for a reader: every state with each
     * variable's spec value beside the Java abstraction of it.  Stops at the
     * first step Java refuses (that state's view says why).  A lasso's stem is
     * shown; its loop is checked by {@link #replay}.
     */
    public static List<StateView> sideBySide(Path projectRoot, Path traceJson) throws InputException {
        Trace t = Trace.read(traceJson);
        ModelSetup.Source src = ModelSetup.source(projectRoot, t);
        if (MigrationReplay.isMigration(src.cfg())) return MigrationReplay.sideBySide(t, src.cfg(), src.design());
        if (ProvisionReplay.isProvisioning(src.cfg())) return ProvisionReplay.sideBySide(t, src.cfg(), src.design());
        if (FullVirtReplay.isFullVirt(src.cfg())) return FullVirtReplay.sideBySide(t, src.cfg(), src.design());
        ModelSetup m = ModelSetup.of(projectRoot, t);
        for (Trace.State st : t.states()) checkVariables(st, m);
        HostSystem sys = new HostSystem(m.config(), m.design());
        Flags flags = new Flags();
        List<StateView> out = new ArrayList<>();
        for (int i = 0; i < t.states().size(); i++) {
            Trace.State st = t.states().get(i);
            String refused = i == 0 ? null : takeStep(sys, m, st, where(st), flags.notes);
            List<String> fresh = new ArrayList<>();
            for (Violation v : flags.collect(sys, st.index())) fresh.add(v.property() + " (" + v.kind() + "): " + v.detail());
            List<VarView> vars = varViews(st, m.variables(), Abstraction.of(sys, m));
            out.add(new StateView(st.index(), i == 0 ? "Init" : st.label(), vars, fresh, refused));
            if (refused != null) break;
        }
        return out;
    }

    /** What the checker reported during a replay, each violation once, attributed to the trace state it showed in. */
    static final class Flags {
        final List<String> flagged = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        final List<Violation> all = new ArrayList<>();
        final List<Integer> at = new ArrayList<>();
        private int seen;

        /** The violations new since the last call, recorded as seen at trace state {@code index}. */
        List<Violation> collect(HostSystem sys, int index) {
            List<Violation> vs = sys.checker().violations();
            List<Violation> fresh = new ArrayList<>(vs.subList(Math.min(seen, vs.size()), vs.size()));
            for (Violation v : fresh) {
                flagged.add(v.property() + "@" + index + " (" + v.kind() + ")");
                notes.add("state " + index + ": " + v.property() + " (" + v.kind() + ") after " + v.action() + ": " + v.detail());
                all.add(v);
                at.add(index);
            }
            seen = vs.size();
            return fresh;
        }
    }

    /** A trace state must name exactly the spec's variables; anything else is a malformed trace, not a divergence. */
    static void checkVariables(Trace.State st, ModelSetup m) throws InputException {
        for (String v : m.variables()) {
            if (st.vars().get(v) == null) {
                throw new InputException(st.vars().where() + ": state " + st.index() + " lacks variable " + v
                        + "; expected the variables " + m.variables());
            }
        }
        for (var e : st.vars().fields().entrySet()) {
            if (!m.variables().contains(e.getKey())) {
                throw new InputException(e.getValue().where() + ": state " + st.index() + " has \"" + e.getKey()
                        + "\", which is not a variable of the spec; expected " + m.variables());
            }
        }
    }

    /** Where a state of the trace is, in messages. */
    static String where(Trace.State st) { return "state " + st.index() + " (" + st.label() + ")"; }

    /**
     * The verdict sentence of a safety counterexample replayed on a twin whose states all agreed: reproduced only if
     * every step was taken ({@code complete}) and the checker first flags the property at the last state.
     *
     * @param firstFlag the state at which the checker first flagged the property (-1: never)
     */
    static String safetySummary(String head, String property, int last, boolean complete, int firstFlag) {
        if (complete && firstFlag == last) {
            return head + "reproduced (" + last + " states agree; the checker flags " + property + " at state " + last + ")";
        }
        return head + (firstFlag < 0 ? "NOT REPRODUCED (" + last + " states agree, but the checker does not flag " + property + ")"
                : "NOT REPRODUCED (the checker flags " + property + " at state " + firstFlag + ", where TLC found it at state " + last + ")");
    }

    /** Takes the spec's step into st on the Java system: null if Java took it, else the divergence saying why not. */
    static String takeStep(HostSystem sys, ModelSetup m, Trace.State st, String where, List<String> notes)
            throws InputException {
        String refused = Steps.apply(sys, m, st, notes);
        return refused == null ? null : where + ": a step of the spec, but " + refused;
    }

    /** The first variable (in the spec's order) whose trace value differs from the abstraction of the Java state, or null. */
    static String compare(Trace.State st, HostSystem sys, ModelSetup m) {
        return compare(st, where(st), sys, m);
    }

    /** As {@link #compare(Trace.State, HostSystem, ModelSetup)}, with {@code where} naming the step in the message. */
    static String compare(Trace.State st, String where, HostSystem sys, ModelSetup m) {
        Map<String, JsonNode> actual = Abstraction.of(sys, m);
        for (String v : m.variables()) {
            LocatedJson.Node node = st.vars().get(v);
            String d = Values.difference(v, Values.normalize(Values.of(node)), actual.get(v));
            if (d != null) {
                return where + ", variable " + v + " (" + node.where() + "): " + d;
            }
        }
        return null;
    }

    /** Each variable of a trace state beside Java's value of it ({@code actual}: Java's state, normalised, by variable). */
    static List<VarView> varViews(Trace.State st, java.util.Collection<String> variables, Map<String, JsonNode> actual) {
        List<VarView> vars = new ArrayList<>();
        for (String v : variables) {
            JsonNode spec = Values.normalize(Values.of(st.vars().get(v)));
            JsonNode java = actual.get(v);
            vars.add(new VarView(v, Values.show(spec), java == null ? "(none)" : Values.show(java),
                    Values.difference(v, spec, java) == null));
        }
        return vars;
    }
}
